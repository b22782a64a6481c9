using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// Host speed of the cores: one run of the CPU-bound sample program on CC0 (load into a kernel booted once, run to
/// exit), with and without the cache model, on the default engine (<see cref="HartEngine.Fast"/>, basic blocks) and on
/// the reference stepping engine, against qemu-riscv32 running the same image in the same run (the baseline of the
/// Ratio column; its time includes starting the qemu process).
/// </summary>
[Config(typeof(JitAndNativeAotConfig))]
public class CpuBoundBenchmarks
{
    private string _imagePath = "";
    private Processor _processor = null!;
    private IClusterKernel _plain = null!;
    private IClusterKernel _cached = null!;
    private IClusterKernel _plainStep = null!;
    private IClusterKernel _cachedStep = null!;

    [GlobalSetup]
    public void Setup()
    {
        _imagePath = Path.Combine(Path.GetTempPath(), $"nanvix-bench-cpu-{Environment.ProcessId}.elf");
        File.WriteAllBytes(_imagePath, CpuProgram.Image);
        _processor = new Processor(Mppa256.Spec());
        _plain = CpuProgram.Boot(_processor, cache: false);
        _cached = ClusterKernel.Create(_processor.Cluster("CC1"), _processor.Spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null));
        _cached.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        _plainStep = ClusterKernel.Create(_processor.Cluster("CC2"), _processor.Spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null));
        _plainStep.UseEngine(HartEngine.Step);
        _cachedStep = ClusterKernel.Create(_processor.Cluster("CC3"), _processor.Spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null));
        _cachedStep.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        _cachedStep.UseEngine(HartEngine.Step);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_imagePath);
        _processor.Dispose();
    }

    [Benchmark(Description = "nanvix, cache model off")]
    public void CacheOff() => CpuProgram.Run(_plain);

    [Benchmark(Description = "nanvix, cache model on")]
    public void CacheOn() => CpuProgram.Run(_cached);

    [Benchmark(Description = "nanvix --engine step, cache model off")]
    public void CacheOffStep() => CpuProgram.Run(_plainStep);

    [Benchmark(Description = "nanvix --engine step, cache model on")]
    public void CacheOnStep() => CpuProgram.Run(_cachedStep);

    [Benchmark(Baseline = true, Description = "qemu-riscv32 (process)")]
    public int Qemu()
    {
        var start = new ProcessStartInfo("qemu-riscv32") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(_imagePath);
        start.ArgumentList.Add(CpuProgram.Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-riscv32");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
