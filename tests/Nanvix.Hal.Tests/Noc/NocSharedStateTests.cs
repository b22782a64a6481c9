using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>
/// What the mailbox, portal and sync networks share behind <see cref="INoc"/>: one numbering of transfers in posting
/// order, and one set of armed faults that only the faulted kind and pair can take.
/// </summary>
public sealed class NocSharedStateTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Transfers_of_every_kind_are_numbered_in_one_posting_order(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput message = rig.Noc.OpenMailbox(CC1, CC0);
        using IPortalInput portal = rig.Noc.CreatePortal(CC0);
        using IPortalOutput write = rig.Noc.OpenPortal(CC1, CC0);
        using ISyncInput sync = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);
        using ISyncOutput signal = rig.Noc.OpenSync(CC1, [CC0, CC1], SyncMode.AllToOne);

        // The write waits for its allow, so it is numbered when posted, not when launched.
        int waiting = write.Write(rig.UserBase(CC1), 100);
        int first = message.Write([1]);
        signal.Signal();
        portal.Allow(CC1, rig.UserBase(CC0), 100);
        int second = message.Write([2]);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal([0, 1, 3], [waiting, first, second]);
        Assert.Equal(4, rig.Noc.TransferCount);
        Assert.Equal(
            [TransferKind.Portal, TransferKind.Mailbox, TransferKind.Sync, TransferKind.Mailbox],
            [rig.Noc.Transfer(0).Kind, rig.Noc.Transfer(1).Kind, rig.Noc.Transfer(2).Kind, rig.Noc.Transfer(3).Kind]);
        for (int id = 0; id < 4; id++)
        {
            Assert.Equal(id, rig.Noc.Transfer(id).Id);
            Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(id).State);
        }
    }

    [Fact]
    public void A_fault_is_taken_only_by_its_own_kind_and_pair()
    {
        using var rig = new NocRig();
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput reverse = rig.Noc.OpenMailbox(CC0, CC1);
        using IMailboxInput back = rig.Noc.CreateMailbox(CC1);
        using IMailboxOutput message = rig.Noc.OpenMailbox(CC1, CC0);
        using IPortalInput portal = rig.Noc.CreatePortal(CC0);
        using IPortalOutput write = rig.Noc.OpenPortal(CC1, CC0);
        using ISyncInput sync = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);
        using ISyncOutput signal = rig.Noc.OpenSync(CC1, [CC0, CC1], SyncMode.AllToOne);
        rig.Noc.InjectFault(TransferKind.Mailbox, CC1, CC0);

        // A portal write and a sync signal of the same pair, and a message of the reverse pair, pass untouched.
        portal.Allow(CC1, rig.UserBase(CC0), 100);
        int data = write.Write(rig.UserBase(CC1), 100);
        signal.Signal();
        int other = reverse.Write([1]);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(1, rig.Noc.FaultsPending);
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(data).State);
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(other).State);
        Assert.True(sync.TryWait());

        int lost = message.Write([2]);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(0, rig.Noc.FaultsPending);
        Assert.Equal(TransferState.Failed, rig.Noc.Transfer(lost).State);
        Assert.Equal(0, mailbox.Available);
    }
}
