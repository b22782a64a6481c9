using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Services;

namespace Nanvix.Kernel.Tests;

/// <summary>Runs programs on several clusters of one MPPA-256 at once (a <see cref="Multikernel"/>) and collects their output.</summary>
internal static class SystemRig
{
    public static (IReadOnlyList<ClusterExit> Exits, string Output, int ServiceRequests) Run(NocTimingMode timing, params (string Cluster, string[] Arguments)[] programs) =>
        Run(timing, _ => { }, programs);

    /// <summary>As <see cref="Run(NocTimingMode, ValueTuple{string, string[]}[])"/>, with <paramref name="beforeRun"/> applied to the NoC first (to inject faults).</summary>
    public static (IReadOnlyList<ClusterExit> Exits, string Output, int ServiceRequests) Run(
        NocTimingMode timing, Action<INoc> beforeRun, params (string Cluster, string[] Arguments)[] programs) =>
        Run(timing, beforeRun, [], programs);

    /// <summary>As <see cref="Run(NocTimingMode, ValueTuple{string, string[]}[])"/>, with more programs the spawn service knows (by name).</summary>
    public static (IReadOnlyList<ClusterExit> Exits, string Output, int ServiceRequests) Run(
        NocTimingMode timing, Action<INoc> beforeRun, (string Name, byte[] Elf)[] registered, params (string Cluster, string[] Arguments)[] programs)
    {
        using var processor = new Processor(Mppa256.Spec(), timing);
        beforeRun(processor.Noc);
        var output = new StringWriter();
        var consoles = new List<PrefixedConsole>();
        var system = new Multikernel(processor, cluster =>
        {
            var console = new PrefixedConsole(cluster.Name, output, output);
            consoles.Add(console);
            return console;
        });
        foreach (string path in Directory.GetFiles(Path.Combine(Nanvix.Tests.Shared.RepositoryFiles.Root, "user", "bin"), "*.elf"))
        {
            system.Spawner?.Register(Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path));
        }

        foreach ((string name, byte[] elf) in registered)
        {
            system.Spawner?.Register(name, elf);
        }

        foreach ((string cluster, string[] arguments) in programs)
        {
            system.Spawn(processor.Cluster(cluster), KernelRig.Program(arguments[0]), arguments);
        }

        IReadOnlyList<ClusterExit> exits = system.RunToCompletion();
        consoles.ForEach(c => c.Flush());
        return (exits, output.ToString(), system.Names?.Served ?? 0);
    }

    public static int Node(string cluster) => Mppa256.Spec().Cluster(cluster).NocNodes[0];
}
