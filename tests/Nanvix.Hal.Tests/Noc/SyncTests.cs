using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

public sealed class SyncTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void One_to_all_sync_releases_each_waiter_exactly_when_the_signal_reaches_it(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        int[] nodes = [CC0, CC1, CC10, IO0];
        using ISyncInput near = rig.Noc.CreateSync(CC1, nodes, SyncMode.OneToAll);
        using ISyncInput far = rig.Noc.CreateSync(CC10, nodes, SyncMode.OneToAll);
        using ISyncInput io = rig.Noc.CreateSync(IO0, nodes, SyncMode.OneToAll);
        using ISyncOutput output = rig.Noc.OpenSync(CC0, nodes, SyncMode.OneToAll);
        var log = new NotificationLog();
        near.Notify(log, CC1);
        far.Notify(log, CC10);
        io.Notify(log, IO0);

        rig.Scheduler.RunUntil(100);
        output.Signal();

        Assert.Equal(3, rig.Noc.TransferCount);
        for (int id = 0; id < 3; id++)
        {
            TransferRecord signal = rig.Noc.Transfer(id);
            Assert.Equal(TransferKind.Sync, signal.Kind);
            Assert.Equal(nodes[id + 1], signal.Target);
            Assert.Equal(1, signal.Packets);
        }

        ulong firstEnd = Math.Min(rig.Noc.Transfer(0).End, Math.Min(rig.Noc.Transfer(1).End, rig.Noc.Transfer(2).End));
        rig.Scheduler.RunUntil(firstEnd - 1);
        Assert.False(near.TryWait());
        Assert.False(far.TryWait());
        Assert.False(io.TryWait());
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(3, log.Events.Count);
        Assert.Contains((rig.Noc.Transfer(0).End, (long)CC1), log.Events);
        Assert.Contains((rig.Noc.Transfer(1).End, (long)CC10), log.Events);
        Assert.Contains((rig.Noc.Transfer(2).End, (long)IO0), log.Events);
        Assert.True(near.TryWait());
        Assert.True(far.TryWait());
        Assert.True(io.TryWait());
        Assert.False(near.TryWait());
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void All_to_one_sync_releases_exactly_when_the_last_signal_arrives(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        int[] nodes = [CC0, CC1, CC10, IO0];
        using ISyncInput input = rig.Noc.CreateSync(CC0, nodes, SyncMode.AllToOne);
        using ISyncOutput a = rig.Noc.OpenSync(CC1, nodes, SyncMode.AllToOne);
        using ISyncOutput b = rig.Noc.OpenSync(CC10, nodes, SyncMode.AllToOne);
        using ISyncOutput c = rig.Noc.OpenSync(IO0, nodes, SyncMode.AllToOne);
        var log = new NotificationLog();
        input.Notify(log, 5);

        a.Signal();
        rig.Scheduler.RunUntil(1000);
        b.Signal();
        rig.Scheduler.RunUntil(2000);
        Assert.False(input.TryWait());
        b.Signal(); // b runs ahead into the next round: that must not count for c.
        rig.Scheduler.RunUntil(3000);
        Assert.False(input.TryWait());
        c.Signal();
        ulong last = rig.Noc.Transfer(rig.Noc.TransferCount - 1).End;
        rig.Scheduler.RunUntil(last - 1);
        Assert.False(input.TryWait());
        rig.Scheduler.RunUntilIdle();

        Assert.Equal([(last, 5L)], log.Events);
        Assert.True(input.TryWait());
        Assert.False(input.TryWait());

        // Next round: b's early signal is already counted; a and c complete it.
        a.Signal();
        c.Signal();
        rig.Scheduler.RunUntilIdle();
        Assert.True(input.TryWait());
        Assert.Equal(2, log.Events.Count);
    }

    [Fact]
    public void Signal_that_arrives_before_the_input_exists_is_counted_when_the_input_is_created()
    {
        using var rig = new NocRig();
        int[] nodes = [CC0, CC1];
        using ISyncOutput output = rig.Noc.OpenSync(CC1, nodes, SyncMode.AllToOne);
        output.Signal();
        rig.Scheduler.RunUntilIdle();

        using ISyncInput input = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);

        Assert.True(input.TryWait());
    }

    [Fact]
    public void Signal_of_another_sync_point_is_not_counted()
    {
        using var rig = new NocRig();
        using ISyncInput input = rig.Noc.CreateSync(CC0, [CC0, CC1, CC2], SyncMode.AllToOne);
        using ISyncOutput output = rig.Noc.OpenSync(CC1, [CC0, CC1], SyncMode.AllToOne);
        using ISyncOutput third = rig.Noc.OpenSync(CC2, [CC0, CC1, CC2], SyncMode.AllToOne);
        output.Signal();
        third.Signal();
        rig.Scheduler.RunUntilIdle();

        Assert.False(input.TryWait());
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { CC0 })]
    [InlineData(new[] { CC0, CC1, CC0 })]
    [InlineData(new[] { CC0, 24 })]
    public void Sync_node_list_must_hold_two_or_more_distinct_valid_nodes(int[] nodes)
    {
        using var rig = new NocRig();

        Assert.Throws<NocException>(() => rig.Noc.CreateSync(CC0, nodes, SyncMode.AllToOne));
        Assert.Throws<NocException>(() => rig.Noc.OpenSync(CC0, nodes, SyncMode.OneToAll));
    }

    [Fact]
    public void A_second_input_of_the_same_sync_point_on_a_node_is_refused()
    {
        using var rig = new NocRig();
        using ISyncInput input = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);

        Assert.Throws<NocException>(() => rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne));
    }
}
