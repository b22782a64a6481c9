using System.Globalization;
using System.Reflection;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;

namespace Nanvix.Bench.ForkJoin;

/// <summary>
/// Nanvix's fork-join microbenchmark as a user program (user/bin/forkjoin.elf, embedded): create N threads, join
/// them, R times. One run on CC0 of a fresh MPPA-256 gives the modeled cycles and the modeled kernel D$ misses.
/// </summary>
public static class ForkJoinProgram
{
    public static byte[] Image { get; } = Load();

    /// <summary>Runs the program once; returns its modeled figures. <paramref name="dataCache"/> replaces the MPPA-256 D$ when given.</summary>
    public static ForkJoinRun Run(ProcessLayoutKind layout, int threads, int rounds, bool cache, CacheGeometry? dataCache = null)
    {
        ProcessorSpec spec = Mppa256.Spec();
        using var processor = new Processor(spec);
        ICluster cluster = processor.Cluster("CC0");
        IClusterKernel kernel = ClusterKernel.Create(cluster, spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null), layout);
        if (cache)
        {
            kernel.EnableCaches(CacheGeometry.Mppa256, dataCache ?? CacheGeometry.Mppa256);
        }

        kernel.Spawn(ElfImage.Parse(Image, Mppa256.UserBytes), ["forkjoin", Text(threads), Text(rounds)]);
        kernel.RunToCompletion();
        if (kernel.Exits[^1].Status != 0)
        {
            throw new InvalidOperationException($"forkjoin {threads} {rounds} failed with status {kernel.Exits[^1].Status}");
        }

        ulong kernelMisses = 0;
        ulong kernelAccesses = 0;
        for (int c = 0; c < cluster.Cores.Count; c++)
        {
            Nanvix.Hal.Processor.ICore core = kernel.Core(c);
            if (core.DataCache is { } data)
            {
                kernelMisses += data.Kernel.Misses;
                kernelAccesses += data.Kernel.Accesses;
            }
        }

        return new ForkJoinRun(kernel.Statistics.Cycles, kernel.Statistics.KernelCalls, kernelAccesses, kernelMisses);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("forkjoin.elf")
            ?? throw new InvalidOperationException("forkjoin.elf is not embedded in the benchmark assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
