using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>Taking back an allow or a waiting write (what the kernel does for a process that moves away).</summary>
public sealed class PortalTakeBackTests
{
    private const int Size = 5000;

    [Fact]
    public void An_allow_no_write_took_can_be_revoked_and_then_takes_nothing()
    {
        using var rig = new NocRig();
        ulong source = rig.UserBase(CC1);
        ulong buffer = rig.UserBase(CC0);
        rig.Fill(CC1, source, Size, seed: 5);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        Assert.False(input.Revoke());
        input.Allow(CC1, buffer, Size);
        Assert.True(input.Revoke());
        Assert.False(input.IsAllowed);

        int write = output.Write(source, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(write).State);
        Assert.True(rig.MemoryOf(CC0).Bytes(buffer, Size).IndexOfAnyExcept((byte)0) < 0);

        // Allowed again, the waiting write lands.
        input.Allow(CC1, buffer, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(write).State);
    }

    [Fact]
    public void An_allow_a_write_took_cannot_be_revoked()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        input.Allow(CC1, rig.UserBase(CC0), Size);
        int write = output.Write(rig.UserBase(CC1), Size);

        Assert.Equal(TransferState.InFlight, rig.Noc.Transfer(write).State);
        Assert.False(input.Revoke());
        rig.Scheduler.RunUntilIdle();
        Assert.True(input.TryComplete(out int bytes, out _));
        Assert.Equal(Size, bytes);
    }

    [Fact]
    public void A_waiting_write_can_be_withdrawn_and_the_output_writes_again()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        Assert.False(output.Withdraw());

        int first = output.Write(rig.UserBase(CC1), Size);
        Assert.True(output.Withdraw());
        Assert.False(output.IsBusy);
        Assert.Equal(TransferState.Cancelled, rig.Noc.Transfer(first).State);

        int second = output.Write(rig.UserBase(CC1), Size);
        input.Allow(CC1, rig.UserBase(CC0), Size);
        Assert.False(output.Withdraw());
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(second).State);
        Assert.True(input.TryComplete(out _, out int id));
        Assert.Equal(second, id);
    }
}
