using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// A migration daemon knows its own kernel and the NoC, and nothing of another cluster: two kernels and their daemons,
/// built here without the multikernel and sharing nothing but the processor's NoC and clock, move a process between them.
/// </summary>
public sealed class MigrationDaemonTests
{
    /// <summary>Runs the two kernels and the NoC in simulated-time order (events first on a tie) until nothing is left to do.</summary>
    private static void Run(IProcessor processor, (IClusterKernel Kernel, MigrationDaemon Daemon)[] clusters)
    {
        while (clusters.Any(c => c.Kernel.HasLiveProcesses || c.Daemon.Busy))
        {
            (IClusterKernel Kernel, MigrationDaemon Daemon)? next = null;
            ulong start = ulong.MaxValue;
            foreach ((IClusterKernel kernel, MigrationDaemon daemon) in clusters)
            {
                if (kernel.TryPeek(out ulong at) && at < start)
                {
                    (next, start) = ((kernel, daemon), at);
                }
            }

            if (processor.Scheduler.TryPeek(out ulong due) && (next is null || due <= start))
            {
                processor.Scheduler.Step();
            }
            else if (next is { } cluster)
            {
                cluster.Kernel.Step();
                cluster.Daemon.Poll(Math.Max(cluster.Kernel.Statistics.Cycles, processor.Scheduler.Now));
            }
            else
            {
                Assert.Fail("nothing can run and no NoC event is due: the move is stuck");
            }
        }
    }

    private static (string Output, MigrationTicket? Ticket, IClusterKernel Target) MoveCpu(ulong atCycle)
    {
        using var processor = new Processor(Mppa256.Spec(), NocTimingMode.Hardware);
        var output = new StringWriter();
        var ended = new List<MigrationTicket>();
        (IClusterKernel, MigrationDaemon) Boot(string name)
        {
            IClusterKernel kernel = ClusterKernel.Create(processor.Cluster(name), processor.Spec.FrequencyHz, new TextWriterConsole(output, output, null), ProcessLayoutKind.UArea, new ProcessIds(), processor);
            return (kernel, new MigrationDaemon(kernel, processor, ended.Add, _ => Assert.Fail("nobody asked to move itself")));
        }

        (IClusterKernel source, MigrationDaemon daemon) = Boot("CC0");
        (IClusterKernel target, MigrationDaemon targetDaemon) = Boot("CC1");
        int pid = source.Spawn(KernelRig.Program("cpu"), ["cpu", "2"]);
        MigrationTicket? ticket = null;
        if (atCycle > 0)
        {
            while (source.Statistics.Cycles < atCycle && source.Step())
            {
            }

            ticket = new MigrationTicket(pid, processor.Cluster("CC1"), 0, byProcess: false);
            daemon.Take(ticket, source.Statistics.Cycles);
        }

        Run(processor, [(source, daemon), (target, targetDaemon)]);
        Assert.Equal(ticket is null ? 0 : 1, ended.Count);
        return (output.ToString(), ticket, target);
    }

    [Fact]
    public void Two_daemons_that_share_only_the_NoC_move_a_process_that_then_finishes_as_unmoved()
    {
        (string plain, _, _) = MoveCpu(0);
        (string moved, MigrationTicket? ticket, IClusterKernel target) = MoveCpu(100_000);

        Assert.Equal(plain, moved);
        Assert.Equal(MigrationState.Done, ticket!.State);
        Assert.Equal(("CC0", "CC1"), (ticket.Report!.From, ticket.Report.To));
        Assert.True(ticket.Report.TransferCycles > 0 && ticket.Report.DowntimeCycles > ticket.Report.TransferCycles, ticket.ToString());
        Assert.Equal(0, target.Exits.Single().Status);
    }
}
