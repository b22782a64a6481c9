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

    /// <summary>Runs the program once; returns the instructions it retired.</summary>
    public static ulong Run(bool cache)
    {
        ProcessorSpec spec = Mppa256.Spec();
        using var processor = new Processor(spec);
        ICluster cluster = processor.Cluster("CC0");
        IClusterKernel kernel = ClusterKernel.Create(cluster, spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null));
        if (cache)
        {
            kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }

        kernel.Spawn(ElfImage.Parse(Image, Mppa256.UserBytes), ["cpu", Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kernel.RunToCompletion();
        return kernel.Statistics.Instructions;
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
