using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Nanvix.Bench.Interpreter;

namespace Nanvix.Bench.Migration;

/// <summary>
/// The JIT and NativeAOT jobs, one invocation per iteration: a move consumes the processor its iteration set up, so
/// each iteration builds one (not timed) and times one move. The migration path runs once per iteration, and the tiered
/// JIT needs a few seconds of them to settle on optimized code (50 warm-up iterations were not enough on a 2-core
/// machine: the JIT job measured 1.4 to 1.6 times the NativeAOT one), hence 200 warm-up iterations (about 3 s); 30
/// measured iterations keep the error small. Allocations are counted.
/// </summary>
public sealed class MigrationConfig : ManualConfig
{
    public MigrationConfig()
    {
        foreach (Job job in new JitAndNativeAotConfig(withInstructionColumn: false).GetJobs())
        {
            AddJob(job.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(200).WithIterationCount(30).WithId(job.Id));
        }

        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
