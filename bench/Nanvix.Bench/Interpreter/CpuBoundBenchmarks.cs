using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// Host speed of the cores: one run of the CPU-bound sample program on CC0 (load, run to exit), with and without the
/// cache model, against qemu-riscv32 running the same image in the same run (the baseline of the Ratio column; its
/// time includes starting the qemu process).
/// </summary>
[Config(typeof(JitAndNativeAotConfig))]
public class CpuBoundBenchmarks
{
    private string _imagePath = "";

    [GlobalSetup]
    public void Setup()
    {
        _imagePath = Path.Combine(Path.GetTempPath(), $"nanvix-bench-cpu-{Environment.ProcessId}.elf");
        File.WriteAllBytes(_imagePath, CpuProgram.Image);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_imagePath);

    [Benchmark(Description = "nanvix, cache model off")]
    public ulong CacheOff() => CpuProgram.Run(cache: false);

    [Benchmark(Description = "nanvix, cache model on")]
    public ulong CacheOn() => CpuProgram.Run(cache: true);

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
