using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>The hardware mode against its formula, with expected values computed from the MPPA-256 constants.</summary>
public sealed class HardwareTimingModeTests
{
    [Theory]
    [InlineData(CC1, 1, 1)]
    [InlineData(CC1, 1, 10000)]
    [InlineData(CC10, 4, 4096)]
    [InlineData(CC10, 4, 65536)]
    [InlineData(IO0, 1, 300)]
    [InlineData(CC0, 0, 5000)]
    public void Portal_write_alone_takes_hops_times_latency_plus_serialization_of_its_chunks(int from, int hops, int size)
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(from, CC0);
        input.Allow(from, rig.UserBase(CC0), size);
        rig.Scheduler.RunUntil(77);

        int id = output.Write(rig.UserBase(from), size);
        rig.Scheduler.RunUntilIdle();

        TransferRecord record = rig.Noc.Transfer(id);
        ulong expected = Hops(hops) + PortalSerialization(size);
        Assert.Equal(hops, record.Hops);
        Assert.Equal(77UL, record.Posted);
        Assert.Equal(77UL, record.Start);
        Assert.Equal(77 + expected, record.End);
        Assert.Equal(expected, ((NetworkOnChip)rig.Noc).ModelCycles(TransferKind.Portal, size, hops));
    }

    [Fact]
    public void Mailbox_message_alone_takes_hops_times_latency_plus_one_full_slot()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC10);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC0, CC10);

        int id = output.Write([1, 2, 3]);

        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(Hops(4) + Serialization(Mppa256.MailboxPayloadBytes), record.End);
        Assert.Equal(Mppa256.MailboxPayloadBytes + Mppa256.PacketHeaderBytes, record.WireBytes);
        Assert.Equal(3, record.Bytes);
        Assert.Equal(TransferState.InFlight, record.State);
    }

    [Fact]
    public void Transfers_sharing_a_link_serialize()
    {
        using var rig = new NocRig();
        const int Size = 8192;
        using IPortalInput one = rig.Noc.CreatePortal(CC1);
        using IPortalInput two = rig.Noc.CreatePortal(CC2);
        using IPortalOutput toOne = rig.Noc.OpenPortal(CC0, CC1);
        using IPortalOutput toTwo = rig.Noc.OpenPortal(CC0, CC2);
        one.Allow(CC0, rig.UserBase(CC1), Size);
        two.Allow(CC0, rig.UserBase(CC2), Size);

        // Both leave CC0 eastwards over the same first link.
        int first = toOne.Write(rig.UserBase(CC0), Size);
        int second = toTwo.Write(rig.UserBase(CC0), Size);
        rig.Scheduler.RunUntilIdle();

        ulong s = PortalSerialization(Size);
        Assert.Equal(Hops(1) + s, rig.Noc.Transfer(first).End);
        Assert.Equal(s, rig.Noc.Transfer(second).Start);
        Assert.Equal(Hops(2) + s + s, rig.Noc.Transfer(second).End);
    }

    [Fact]
    public void Transfers_on_disjoint_routes_overlap()
    {
        using var rig = new NocRig();
        const int Size = 8192;
        using IPortalInput one = rig.Noc.CreatePortal(CC1);
        using IPortalInput five = rig.Noc.CreatePortal(CC5);
        using IPortalOutput fromZero = rig.Noc.OpenPortal(CC0, CC1);
        using IPortalOutput fromFour = rig.Noc.OpenPortal(CC4, CC5);
        one.Allow(CC0, rig.UserBase(CC1), Size);
        five.Allow(CC4, rig.UserBase(CC5), Size);

        int first = fromZero.Write(rig.UserBase(CC0), Size);
        int second = fromFour.Write(rig.UserBase(CC4), Size);
        rig.Scheduler.RunUntilIdle();

        ulong alone = Hops(1) + PortalSerialization(Size);
        Assert.Equal(alone, rig.Noc.Transfer(first).End);
        Assert.Equal(alone, rig.Noc.Transfer(second).End);
    }

    [Fact]
    public void Sync_signals_use_the_control_network_and_do_not_wait_for_data()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC1);
        using IPortalOutput output = rig.Noc.OpenPortal(CC0, CC1);
        using ISyncInput sync = rig.Noc.CreateSync(CC1, [CC0, CC1], SyncMode.OneToAll);
        using ISyncOutput signal = rig.Noc.OpenSync(CC0, [CC0, CC1], SyncMode.OneToAll);
        input.Allow(CC0, rig.UserBase(CC1), 65536);
        output.Write(rig.UserBase(CC0), 65536);

        signal.Signal();

        Assert.Equal(Hops(1) + Serialization(Mppa256.SyncSignalBytes), rig.Noc.Transfer(1).End);
    }

    [Fact]
    public void Mailbox_messages_queue_behind_a_portal_write_on_the_same_link()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC1);
        using IPortalOutput output = rig.Noc.OpenPortal(CC0, CC1);
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC1);
        using IMailboxOutput message = rig.Noc.OpenMailbox(CC0, CC1);
        input.Allow(CC0, rig.UserBase(CC1), 4096);
        output.Write(rig.UserBase(CC0), 4096);

        int id = message.Write([1]);

        Assert.Equal(PortalSerialization(4096) + Hops(1) + Serialization(Mppa256.MailboxPayloadBytes), rig.Noc.Transfer(id).End);
    }
}
