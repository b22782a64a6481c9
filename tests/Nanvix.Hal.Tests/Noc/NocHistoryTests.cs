using Nanvix.Hal.Noc;

namespace Nanvix.Hal.Tests.Noc;

public sealed class NocHistoryTests
{
    [Fact]
    public void Records_of_old_finished_transfers_are_forgotten_after_the_history_limit()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(NocRig.CC1);
        using IMailboxOutput output = rig.Noc.OpenMailbox(NocRig.CC0, NocRig.CC1);
        byte[] payload = [1, 2, 3];
        byte[] buffer = new byte[128];

        int last = -1;
        for (int i = 0; i < NetworkOnChip.HistoryLimit + 100; i++)
        {
            last = output.Write(payload);
            rig.Scheduler.RunUntilIdle();
            Assert.True(input.TryRead(buffer, out _));
        }

        var error = Assert.Throws<NocException>(() => rig.Noc.Transfer(0));
        Assert.Contains("no longer kept", error.Message);
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(last).State);
        Assert.True(IsKept(rig.Noc, last - NetworkOnChip.HistoryLimit + 1));
        Assert.False(IsKept(rig.Noc, last - NetworkOnChip.HistoryLimit - 1));
    }

    [Fact]
    public void A_transfer_still_waiting_is_never_forgotten()
    {
        using var rig = new NocRig();
        using IPortalInput portal = rig.Noc.CreatePortal(NocRig.CC1);
        using IPortalOutput writer = rig.Noc.OpenPortal(NocRig.CC0, NocRig.CC1);
        int waiting = writer.Write(rig.UserBase(NocRig.CC0), 64);
        using IMailboxInput input = rig.Noc.CreateMailbox(NocRig.CC1);
        using IMailboxOutput output = rig.Noc.OpenMailbox(NocRig.CC0, NocRig.CC1);
        byte[] buffer = new byte[128];

        for (int i = 0; i < NetworkOnChip.HistoryLimit + 100; i++)
        {
            output.Write([7]);
            rig.Scheduler.RunUntilIdle();
            input.TryRead(buffer, out _);
        }

        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(waiting).State);
        portal.Allow(NocRig.CC0, rig.UserBase(NocRig.CC1), 64);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(waiting).State);
    }

    [Fact]
    public void A_waiting_write_of_a_closed_output_is_cancelled()
    {
        using var rig = new NocRig();
        using IPortalInput portal = rig.Noc.CreatePortal(NocRig.CC1);
        IPortalOutput writer = rig.Noc.OpenPortal(NocRig.CC0, NocRig.CC1);
        int id = writer.Write(rig.UserBase(NocRig.CC0), 64);

        writer.Dispose();

        Assert.Equal(TransferState.Cancelled, rig.Noc.Transfer(id).State);
    }

    private static bool IsKept(INoc noc, int id)
    {
        try
        {
            noc.Transfer(id);
            return true;
        }
        catch (NocException)
        {
            return false;
        }
    }
}
