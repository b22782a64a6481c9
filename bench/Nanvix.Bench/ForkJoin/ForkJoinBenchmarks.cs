using BenchmarkDotNet.Attributes;
using Nanvix.Kernel.Layout;

namespace Nanvix.Bench.ForkJoin;

/// <summary>
/// Host time of the fork-join benchmark: one whole run (load, <see cref="Rounds"/> rounds of creating and joining
/// <see cref="Threads"/> threads, exit) per operation, under both layouts; the "ns per create+join" column divides
/// by the number of create+join pairs. The cache model is off: this measures the simulator, not the model.
/// </summary>
[Config(typeof(ForkJoinConfig))]
public class ForkJoinBenchmarks
{
    public const int Rounds = 50;

    [Params(ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered)]
    public ProcessLayoutKind Layout { get; set; }

    [Params(1, 4, 8, 17)]
    public int Threads { get; set; }

    [Benchmark(Description = "fork-join run")]
    public ulong Run() => ForkJoinProgram.Run(Layout, Threads, Rounds, cache: false).Cycles;
}
