using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;

namespace Nanvix.Bench.ForkJoin;

/// <summary>
/// Host time of the fork-join benchmark: one process (load, <see cref="Rounds"/> rounds of creating and joining
/// <see cref="Threads"/> threads, exit) per operation, on a kernel booted once, under both layouts; the "ns per
/// create+join" column divides by the number of create+join pairs. The cache model is off: this measures the
/// simulator, not the model.
/// </summary>
[Config(typeof(ForkJoinConfig))]
public class ForkJoinBenchmarks
{
    public const int Rounds = 50;

    private Processor _processor = null!;
    private IClusterKernel _kernel = null!;
    private ElfImage _image = null!;
    private string[] _arguments = [];

    [Params(ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered)]
    public ProcessLayoutKind Layout { get; set; }

    [Params(1, 4, 8, 17)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _processor = new Processor(Mppa256.Spec());
        _kernel = ClusterKernel.Create(_processor.Cluster("CC0"), _processor.Spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null), Layout);
        _image = ElfImage.Parse(ForkJoinProgram.Image, Mppa256.UserBytes);
        _arguments = ["forkjoin", Threads.ToString(CultureInfo.InvariantCulture), Rounds.ToString(CultureInfo.InvariantCulture)];
    }

    [GlobalCleanup]
    public void Cleanup() => _processor.Dispose();

    [Benchmark(Description = "fork-join process")]
    public int Run()
    {
        _kernel.Spawn(_image, _arguments);
        return _kernel.RunToCompletion()[^1].Status;
    }
}
