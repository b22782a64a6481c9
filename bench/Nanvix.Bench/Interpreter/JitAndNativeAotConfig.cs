using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.NativeAot;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// Runs each benchmark twice: on the JIT and as a NativeAOT binary. The ILCompiler package comes from NuGet at the
/// version of the running runtime (BenchmarkDotNet 0.15.8 otherwise asks for the newest, which may be another .NET).
/// The NativeAOT binary is optimized for speed and for this host's instruction set, as the JIT is.
/// </summary>
public sealed class JitAndNativeAotConfig : ManualConfig
{
    public JitAndNativeAotConfig()
        : this(withInstructionColumn: true)
    {
    }

    public JitAndNativeAotConfig(bool withInstructionColumn)
    {
        // 3 warm-up and 10 measured iterations: enough for a few-percent error on runs of milliseconds, and the whole
        // suite stays within minutes on a 2-core machine.
        Job measured = Job.Default.WithWarmupCount(3).WithIterationCount(10);
        AddJob(measured.WithId("JIT"));
        AddJob(measured
            .WithToolchain(NativeAotToolchain.CreateBuilder()
                .UseNuGet(Environment.Version.ToString())
                .IlcOptimizationPreference("Speed")
                .IlcInstructionSet("native")
                .TargetFrameworkMoniker("net10.0")
                .DisplayName("NativeAOT")
                .ToToolchain())
            .WithId("NativeAOT"));
        if (withInstructionColumn)
        {
            AddColumn(new InstructionsPerSecondColumn());
        }
    }
}
