using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>The nanvix mode: the software path's fitted costs, whatever the distance, without contention.</summary>
public sealed class NanvixTimingModeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(10000)]
    [InlineData(512 * 1024)]
    public void Portal_write_costs_alpha_plus_beta_per_byte(int size)
    {
        using var rig = new NocRig(NocTimingMode.Nanvix);
        using IPortalInput input = rig.Noc.CreatePortal(IO0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC10, IO0);
        input.Allow(CC10, rig.UserBase(IO0), size);

        ulong expected = Mppa256.PortalAlphaCycles + (((ulong)size * Mppa256.PortalBetaCentiCyclesPerByte) + 99) / 100;
        Assert.Equal(expected, WriteAndTime(rig, output, rig.UserBase(CC10), size));
    }

    [Fact]
    public void Largest_portal_write_of_one_megabyte_costs_alpha_plus_beta_per_byte_as_one_transfer()
    {
        // Only the I/O clusters' 1 MB kernel data region holds a whole 1 MB buffer.
        const int Size = NetworkOnChip.MaxPortalWriteBytes;
        using var rig = new NocRig(NocTimingMode.Nanvix);
        const int IO1 = 4;
        ulong kernelData(int node) => rig.MemoryOf(node).Map[MemoryRegionNames.KernelData].Base;
        using IPortalInput input = rig.Noc.CreatePortal(IO0);
        using IPortalOutput output = rig.Noc.OpenPortal(IO1, IO0);
        input.Allow(IO1, kernelData(IO0), Size);

        ulong expected = Mppa256.PortalAlphaCycles + (((ulong)Size * Mppa256.PortalBetaCentiCyclesPerByte) + 99) / 100;
        Assert.Equal(expected, WriteAndTime(rig, output, kernelData(IO1), Size));
    }

    [Fact]
    public void Four_kilobyte_portal_write_costs_what_the_fit_gives()
    {
        // 7800 + 4096 * 4.15 = 24798.4, rounded up.
        using var rig = new NocRig(NocTimingMode.Nanvix);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        input.Allow(CC1, rig.UserBase(CC0), 4096);

        Assert.Equal(24_799UL, WriteAndTime(rig, output, rig.UserBase(CC1), 4096));
    }

    [Fact]
    public void Mailbox_message_costs_the_fixed_mailbox_cost_and_reports_its_hops()
    {
        using var rig = new NocRig(NocTimingMode.Nanvix);
        using IMailboxInput input = rig.Noc.CreateMailbox(CC10);
        using IMailboxOutput near = rig.Noc.OpenMailbox(CC0, CC10);
        using IMailboxOutput io = rig.Noc.OpenMailbox(IO0, CC10);
        rig.Scheduler.RunUntil(10);

        int first = near.Write([1]);
        int second = io.Write([2]);

        Assert.Equal(10 + Mppa256.MailboxCycles, rig.Noc.Transfer(first).End);
        Assert.Equal(10 + Mppa256.MailboxCycles, rig.Noc.Transfer(second).End);
        Assert.Equal(4, rig.Noc.Transfer(first).Hops);
        Assert.Equal(rig.Machine.Spec.Noc.Topology.Hops(IO0, CC10), rig.Noc.Transfer(second).Hops);
    }

    [Fact]
    public void Sync_signal_costs_the_fixed_sync_cost()
    {
        using var rig = new NocRig(NocTimingMode.Nanvix);
        using ISyncInput input = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);
        using ISyncOutput output = rig.Noc.OpenSync(CC1, [CC0, CC1], SyncMode.AllToOne);

        output.Signal();

        Assert.Equal(Mppa256.SyncCycles, rig.Noc.Transfer(0).End);
    }

    [Fact]
    public void Transfers_sharing_a_link_do_not_contend()
    {
        using var rig = new NocRig(NocTimingMode.Nanvix);
        using IPortalInput one = rig.Noc.CreatePortal(CC1);
        using IPortalInput two = rig.Noc.CreatePortal(CC2);
        using IPortalOutput toOne = rig.Noc.OpenPortal(CC0, CC1);
        using IPortalOutput toTwo = rig.Noc.OpenPortal(CC0, CC2);
        one.Allow(CC0, rig.UserBase(CC1), 8192);
        two.Allow(CC0, rig.UserBase(CC2), 8192);

        int first = toOne.Write(rig.UserBase(CC0), 8192);
        int second = toTwo.Write(rig.UserBase(CC0), 8192);

        Assert.Equal(rig.Noc.Transfer(first).End, rig.Noc.Transfer(second).End);
        Assert.Equal(rig.Noc.Transfer(first).End, ((NetworkOnChip)rig.Noc).ModelCycles(TransferKind.Portal, 8192, 1));
    }

    private static ulong WriteAndTime(NocRig rig, IPortalOutput output, ulong source, int size)
    {
        ulong posted = rig.Now;
        int id = output.Write(source, size);
        rig.Scheduler.RunUntilIdle();
        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(TransferState.Delivered, record.State);
        Assert.Equal(posted, record.Start);
        return record.Duration;
    }
}
