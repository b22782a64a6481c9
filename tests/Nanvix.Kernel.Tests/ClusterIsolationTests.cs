using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

public sealed class ClusterIsolationTests
{
    [Fact]
    public void A_faulting_process_on_one_cluster_does_not_disturb_a_process_on_another()
    {
        using var processor = new Processor(Mppa256.Spec());
        var faultyOutput = new StringWriter();
        var healthyOutput = new StringWriter();
        IClusterKernel faulty = ClusterKernel.Create(processor.Cluster("CC0"), Mppa256.FrequencyHz, new TextWriterConsole(faultyOutput, faultyOutput, null));
        IClusterKernel healthy = ClusterKernel.Create(processor.Cluster("CC1"), Mppa256.FrequencyHz, new TextWriterConsole(healthyOutput, healthyOutput, null));
        faulty.Spawn(KernelRig.Program("fault"), ["fault", "text"]);
        healthy.Spawn(KernelRig.Program("threads"), ["threads", "mutex"]);

        // Interleave the two clusters quantum by quantum, as the processor would.
        while (faulty.HasLiveProcesses || healthy.HasLiveProcesses)
        {
            if (faulty.HasLiveProcesses)
            {
                faulty.Step();
            }

            if (healthy.HasLiveProcesses)
            {
                healthy.Step();
            }
        }

        Assert.Equal(139, faulty.Exits.Single().Status);
        ProcessExit exit = healthy.Exits.Single();
        Assert.Equal(0, exit.Status);
        Assert.Contains("mutex ok", healthyOutput.ToString());
    }
}
