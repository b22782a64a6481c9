using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>Steady NoC traffic allocates nothing once its arrays and queues have grown to their working size.</summary>
public sealed class NocAllocationTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Mailbox_portal_and_sync_traffic_allocates_nothing_once_warm(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput message = rig.Noc.OpenMailbox(CC10, CC0);
        using IPortalInput portal = rig.Noc.CreatePortal(CC0);
        using IPortalOutput write = rig.Noc.OpenPortal(CC1, CC0);
        using ISyncInput sync = rig.Noc.CreateSync(CC0, [CC0, CC1, CC10], SyncMode.AllToOne);
        using ISyncOutput one = rig.Noc.OpenSync(CC1, [CC0, CC1, CC10], SyncMode.AllToOne);
        using ISyncOutput ten = rig.Noc.OpenSync(CC10, [CC0, CC1, CC10], SyncMode.AllToOne);
        var log = new NotificationLog();
        log.Events.Capacity = 100_000;
        mailbox.Notify(log, 1);
        byte[] payload = new byte[Mppa256.MailboxPayloadBytes];
        ulong buffer = rig.UserBase(CC0);
        ulong source = rig.UserBase(CC1);

        void Traffic(int rounds)
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < 8; i++)
                {
                    message.Write(payload);
                }

                portal.Allow(CC1, buffer, 10000);
                write.Write(source, 10000);
                one.Signal();
                ten.Signal();
                rig.Scheduler.RunUntilIdle();
                while (mailbox.TryRead(payload, out _))
                {
                }

                portal.TryComplete(out _, out _);
                sync.TryWait();
            }
        }

        // 11 transfers a round: warming up for 400 rounds grows the transfer arrays to 8192 records, which the 100
        // measured rounds do not outgrow (their doubling is amortized growth, not per-transfer allocation).
        Traffic(400);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Traffic(100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
