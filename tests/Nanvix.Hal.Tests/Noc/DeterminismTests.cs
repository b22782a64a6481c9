using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void The_same_scenario_gives_the_same_trace_and_the_same_records(NocTimingMode mode)
    {
        (TraceEntry[] firstTrace, TransferRecord[] firstRecords) = Run(mode);
        (TraceEntry[] secondTrace, TransferRecord[] secondRecords) = Run(mode);

        Assert.NotEmpty(firstTrace);
        Assert.Equal(firstTrace, secondTrace);
        Assert.Equal(firstRecords, secondRecords);
    }

    /// <summary>Mailboxes, portals and syncs between several nodes, with contention and a waiting write.</summary>
    private static (TraceEntry[] Trace, TransferRecord[] Records) Run(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        rig.Scheduler.StartTrace();
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        using IPortalInput portal = rig.Noc.CreatePortal(CC0);
        using IPortalInput other = rig.Noc.CreatePortal(CC2);
        using IPortalOutput fromOne = rig.Noc.OpenPortal(CC1, CC0);
        using IPortalOutput toTwo = rig.Noc.OpenPortal(CC0, CC2);
        int[] nodes = [CC0, CC1, CC10, IO0];
        using ISyncInput sync = rig.Noc.CreateSync(CC0, nodes, SyncMode.AllToOne);
        var outputs = new List<IMailboxOutput>();
        var signals = new List<ISyncOutput>();
        foreach (int node in (int[])[CC1, CC10, IO0])
        {
            outputs.Add(rig.Noc.OpenMailbox(node, CC0));
            signals.Add(rig.Noc.OpenSync(node, nodes, SyncMode.AllToOne));
        }

        fromOne.Write(rig.UserBase(CC1), 9000);
        other.Allow(CC0, rig.UserBase(CC2), 20000);
        toTwo.Write(rig.UserBase(CC0), 20000);
        for (int round = 0; round < 10; round++)
        {
            foreach (IMailboxOutput output in outputs)
            {
                output.Write([(byte)round]);
            }

            signals[round % 3].Signal();
            rig.Scheduler.RunUntil(rig.Now + 40);
        }

        portal.Allow(CC1, rig.UserBase(CC0), 9000);
        rig.Scheduler.RunUntilIdle();
        foreach (IMailboxOutput output in outputs)
        {
            output.Dispose();
        }

        var records = new TransferRecord[rig.Noc.TransferCount];
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = rig.Noc.Transfer(i);
            Assert.Equal(TransferState.Delivered, records[i].State);
        }

        return ([.. rig.Scheduler.Trace!], records);
    }
}
