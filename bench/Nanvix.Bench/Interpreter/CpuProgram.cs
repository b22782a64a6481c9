using System.Reflection;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// The CPU-bound sample program (user/bin/cpu.elf, embedded in this assembly) and how to run it once on CC0 of a
/// fresh MPPA-256: the unit of work of the interpreter benchmarks.
/// </summary>
public static class CpuProgram
{
    /// <summary>Rounds of sort + CRC + matrix multiply: about 6.5 million instructions per run.</summary>
    public const int Rounds = 10;

    public static byte[] Image { get; } = Load();

    /// <summary>Runs the program once on a fresh processor; returns the instructions it retired.</summary>
    public static ulong Run(bool cache)
    {
        using var processor = new Processor(Mppa256.Spec());
        IClusterKernel kernel = Boot(processor, cache);
        ulong before = kernel.Statistics.Instructions;
        Run(kernel);
        return kernel.Statistics.Instructions - before;
    }

    /// <summary>A kernel on CC0 of <paramref name="processor"/>, ready to run the program again and again.</summary>
    public static IClusterKernel Boot(Processor processor, bool cache)
    {
        IClusterKernel kernel = ClusterKernel.Create(processor.Cluster("CC0"), processor.Spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null));
        if (cache)
        {
            kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }

        return kernel;
    }

    /// <summary>Loads the program as a new process of <paramref name="kernel"/> and runs it to its exit.</summary>
    public static void Run(IClusterKernel kernel)
    {
        kernel.Spawn(ElfImage.Parse(Image, Mppa256.UserBytes), ["cpu", Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kernel.RunToCompletion();
    }

    private static byte[] Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("cpu.elf")
            ?? throw new InvalidOperationException("cpu.elf is not embedded in the benchmark assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
