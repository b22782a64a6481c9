using BenchmarkDotNet.Configs;
using Nanvix.Bench.Interpreter;

namespace Nanvix.Bench.ForkJoin;

/// <summary>The JIT and NativeAOT jobs, with host nanoseconds per create+join.</summary>
public sealed class ForkJoinConfig : ManualConfig
{
    public ForkJoinConfig()
    {
        Add(new JitAndNativeAotConfig(withInstructionColumn: false));
        AddColumn(new PerCreateJoinColumn());
    }
}
