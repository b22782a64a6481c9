using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.NativeAot;

namespace Nanvix.Bench.Interpreter;

/// <summary>
/// Runs each benchmark twice: on the JIT and as a NativeAOT binary. The ILCompiler package comes from NuGet at the
/// version of the running runtime (BenchmarkDotNet 0.15.8 otherwise asks for the newest, which may be another .NET).
/// </summary>
public sealed class JitAndNativeAotConfig : ManualConfig
{
    public JitAndNativeAotConfig()
        : this(withInstructionColumn: true)
    {
    }

    public JitAndNativeAotConfig(bool withInstructionColumn)
    {
        AddJob(Job.Default.WithId("JIT"));
        AddJob(Job.Default
            .WithToolchain(NativeAotToolchain.CreateBuilder()
                .UseNuGet(Environment.Version.ToString())
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
