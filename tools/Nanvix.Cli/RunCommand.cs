using Nanvix.Hal.Machine;
using Nanvix.Kernel.Layout;

namespace Nanvix.Cli;

/// <summary>
/// What <c>nanvix run</c> shares between its parts: the names of its flag values, the built-in demo's move, and how a
/// program file is read. The run itself is <see cref="RunSession"/>'s, for one program and for an image alike.
/// </summary>
public static class RunCommand
{
    /// <summary>Exit status for bad host input (a missing file, a malformed executable, an unwritable stats file).</summary>
    public const int BadInput = ExitStatus.BadInput;

    /// <summary>When the built-in demo moves to another cluster: early in its run, while its four workers are busy.</summary>
    public const ulong DemoMigrationCycle = 20_000;

    /// <summary>The names <c>--layout</c> accepts, in the order of <see cref="ProcessLayoutKind"/>.</summary>
    public static string LayoutName(ProcessLayoutKind layout) => layout == ProcessLayoutKind.Scattered ? "scattered" : "uarea";

    /// <summary>
    /// The bytes of the program file <paramref name="path"/>, refused unread when it is larger than the memory of a
    /// compute cluster of <paramref name="spec"/> (no program that big can load there).
    /// </summary>
    /// <exception cref="HostInputException">It cannot be read, or is too large.</exception>
    public static byte[] ReadProgram(ProcessorSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long memory = spec.Clusters.First(c => c.Kind == ClusterKind.Compute).MemoryMap.Size;
        return HostFile.Read(path, (int)memory, $"the memory of a {spec.Name} compute cluster; no program that big can load");
    }
}
