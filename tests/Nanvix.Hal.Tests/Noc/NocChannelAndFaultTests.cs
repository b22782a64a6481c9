using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>Portal channels (separate receive/send slots sharing the links) and injected transfer faults.</summary>
public sealed class NocChannelAndFaultTests
{
    private const int Size = 6000;

    [Fact]
    public void A_write_only_matches_the_allow_of_its_own_channel()
    {
        using var rig = new NocRig();
        ulong source = rig.UserBase(CC1);
        ulong buffer0 = rig.UserBase(CC0);
        ulong buffer1 = rig.UserBase(CC0) + 0x4000;
        rig.Fill(CC1, source, Size, seed: 3);
        using IPortalInput input0 = rig.Noc.CreatePortal(CC0, 0);
        using IPortalInput input1 = rig.Noc.CreatePortal(CC0, 1);
        using IPortalOutput output0 = rig.Noc.OpenPortal(CC1, CC0, 0);
        using IPortalOutput output1 = rig.Noc.OpenPortal(CC1, CC0, 1);
        Assert.Equal((0, 1, 0, 1), (input0.Channel, input1.Channel, output0.Channel, output1.Channel));

        // A channel-1 write is not taken by the channel-0 allow.
        input0.Allow(CC1, buffer0, Size);
        int onOne = output1.Write(source, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(onOne).State);
        Assert.True(input0.IsAllowed);
        Assert.False(input0.TryComplete(out _, out _));

        // Both channels allowed at once on the same node: each write lands in its own channel's buffer.
        input1.Allow(CC1, buffer1, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(onOne).State);
        Assert.True(input1.TryComplete(out int bytes, out int id));
        Assert.Equal((Size, onOne), (bytes, id));
        Assert.True(rig.MemoryOf(CC0).Bytes(buffer1, Size).SequenceEqual(rig.MemoryOf(CC1).Bytes(source, Size)));
        Assert.True(rig.MemoryOf(CC0).Bytes(buffer0, Size).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(input0.IsAllowed);

        // And the other way round: a channel-0 write is not taken by a channel-1 allow.
        input1.Allow(CC1, buffer1, Size);
        int onZero = output0.Write(source, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(onZero).State);
        Assert.True(input0.TryComplete(out _, out id));
        Assert.Equal(onZero, id);
        Assert.True(input1.IsAllowed);
        Assert.False(input1.TryComplete(out _, out _));
        Assert.True(rig.MemoryOf(CC0).Bytes(buffer0, Size).SequenceEqual(rig.MemoryOf(CC1).Bytes(source, Size)));
    }

    [Fact]
    public void A_fault_armed_for_one_channel_lets_another_channels_transfer_through_and_takes_its_own()
    {
        using var rig = new NocRig();
        ulong source = rig.UserBase(CC1);
        rig.Fill(CC1, source, Size, seed: 5);
        using IPortalInput input0 = rig.Noc.CreatePortal(CC0, 0);
        using IPortalInput input1 = rig.Noc.CreatePortal(CC0, 1);
        using IPortalOutput output0 = rig.Noc.OpenPortal(CC1, CC0, 0);
        using IPortalOutput output1 = rig.Noc.OpenPortal(CC1, CC0, 1);
        rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0, 0, channel: 1);

        // The channel-1 write waits for its allow; a channel-0 write launches first and is not the one lost.
        int kernel = output1.Write(source, Size);
        input0.Allow(CC1, rig.UserBase(CC0), Size);
        int program = output0.Write(source, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(program).State);
        Assert.Equal(1, rig.Noc.FaultsPending);

        input1.Allow(CC1, rig.UserBase(CC0) + 0x4000, Size);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Failed, rig.Noc.Transfer(kernel).State);
        Assert.Equal(0, rig.Noc.FaultsPending);
        Assert.Throws<NocException>(() => rig.Noc.InjectFault(TransferKind.Mailbox, CC1, CC0, 0, channel: 1));
        Assert.Throws<NocException>(() => rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0, 0, channel: NetworkOnChip.PortalChannels));
    }

    [Fact]
    public void The_one_argument_forms_are_channel_0_and_inputs_are_one_per_node_and_channel()
    {
        using var rig = new NocRig();
        using IPortalInput input0 = rig.Noc.CreatePortal(CC0);
        using IPortalInput input1 = rig.Noc.CreatePortal(CC0, 1);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        Assert.Equal(0, input0.Channel);
        Assert.Equal(0, output.Channel);

        var error = Assert.Throws<NocException>(() => rig.Noc.CreatePortal(CC0, 1));
        Assert.Contains("channel 1", error.Message);
        Assert.Throws<NocException>(() => rig.Noc.CreatePortal(CC0, 0));

        // Closing one channel's input frees that channel only.
        input1.Dispose();
        using IPortalInput again = rig.Noc.CreatePortal(CC0, 1);
        Assert.Throws<NocException>(() => rig.Noc.CreatePortal(CC0));
        var closed = Assert.Throws<NocException>(() => _ = input1.IsAllowed);
        Assert.Equal("portal input (channel 1) of node 8 is closed", closed.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(NetworkOnChip.PortalChannels)]
    public void A_bad_channel_is_refused(int channel)
    {
        using var rig = new NocRig();

        var create = Assert.Throws<NocException>(() => rig.Noc.CreatePortal(CC0, channel));
        var open = Assert.Throws<NocException>(() => rig.Noc.OpenPortal(CC1, CC0, channel));

        Assert.Equal($"portal channel {channel} does not exist: channels are 0 to {NetworkOnChip.PortalChannels - 1}", create.Message);
        Assert.Equal(create.Message, open.Message);
    }

    [Fact]
    public void Closing_an_output_cancels_only_its_own_channels_waiting_write()
    {
        using var rig = new NocRig();
        using IPortalInput input0 = rig.Noc.CreatePortal(CC0, 0);
        using IPortalOutput output0 = rig.Noc.OpenPortal(CC1, CC0, 0);
        IPortalOutput output1 = rig.Noc.OpenPortal(CC1, CC0, 1);
        int waiting0 = output0.Write(rig.UserBase(CC1), 100);
        int waiting1 = output1.Write(rig.UserBase(CC1), 100);

        output1.Dispose();
        input0.Allow(CC1, rig.UserBase(CC0), 100);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(TransferState.Cancelled, rig.Noc.Transfer(waiting1).State);
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(waiting0).State);
    }

    [Fact]
    public void Channels_share_the_links_like_two_writes_on_one_channel()
    {
        using var rig = new NocRig();
        const int Big = 65536;
        using IPortalInput input0 = rig.Noc.CreatePortal(CC1, 0);
        using IPortalInput input1 = rig.Noc.CreatePortal(CC1, 1);
        using IPortalOutput output0 = rig.Noc.OpenPortal(CC0, CC1, 0);
        using IPortalOutput output1 = rig.Noc.OpenPortal(CC0, CC1, 1);
        input0.Allow(CC0, rig.UserBase(CC1), Big);
        input1.Allow(CC0, rig.UserBase(CC1) + Big, Big);

        int first = output0.Write(rig.UserBase(CC0), Big);
        int second = output1.Write(rig.UserBase(CC0), Big);
        rig.Scheduler.RunUntilIdle();

        ulong s = PortalSerialization(Big);
        Assert.Equal(Hops(1) + s, rig.Noc.Transfer(first).End);
        Assert.Equal(s, rig.Noc.Transfer(second).Start);
        Assert.Equal(Hops(1) + s + s, rig.Noc.Transfer(second).End);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void A_faulted_portal_write_is_timed_as_delivered_but_lands_nothing_and_completes_with_minus_one(NocTimingMode mode)
    {
        TransferRecord clean = PortalWrite(mode, fault: false, out _);
        TransferRecord lost = PortalWrite(mode, fault: true, out FaultedPortal seen);

        Assert.Equal(TransferState.Delivered, clean.State);
        Assert.Equal(clean with { State = TransferState.Failed }, lost);
        Assert.True(seen.Untouched);
        Assert.Equal((true, -1, lost.Id), (seen.Completed, seen.Bytes, seen.CompletedId));
        Assert.False(seen.InputAllowed);
        Assert.False(seen.OutputBusy);
        Assert.Equal([lost.End], seen.InputNotified);
        Assert.Equal([lost.End], seen.OutputNotified);
        Assert.Equal(0, seen.FaultsPending);
        Assert.Equal(TransferState.Delivered, seen.Next.State);
        Assert.True(seen.NextLanded);
    }

    [Fact]
    public void A_fault_skips_the_given_number_of_transfers_launched_after_it_was_armed()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        using IPortalOutput other = rig.Noc.OpenPortal(CC2, CC0);

        // A write launched before the fault is armed does not count; one posted before but launched after does.
        input.Allow(CC1, rig.UserBase(CC0), 100);
        int before = output.Write(rig.UserBase(CC1), 100);
        rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0, skip: 2);
        rig.Noc.InjectFault(TransferKind.Portal, CC2, CC0);
        Assert.Equal(2, rig.Noc.FaultsPending);
        rig.Scheduler.RunUntilIdle();

        var states = new List<TransferState>();
        for (int i = 0; i < 4; i++)
        {
            int id = output.Write(rig.UserBase(CC1), 100);
            rig.Scheduler.RunUntil(rig.Now + 10);
            input.Allow(CC1, rig.UserBase(CC0), 100);
            rig.Scheduler.RunUntilIdle();
            states.Add(rig.Noc.Transfer(id).State);
        }

        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(before).State);
        Assert.Equal([TransferState.Delivered, TransferState.Delivered, TransferState.Failed, TransferState.Delivered], states);
        Assert.Equal(1, rig.Noc.FaultsPending);
    }

    [Fact]
    public void Faults_armed_together_count_independently()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0, skip: 1);
        rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0);
        rig.Noc.InjectFault(TransferKind.Mailbox, CC1, CC0);

        var states = new List<TransferState>();
        for (int i = 0; i < 3; i++)
        {
            input.Allow(CC1, rig.UserBase(CC0), 100);
            int id = output.Write(rig.UserBase(CC1), 100);
            rig.Scheduler.RunUntilIdle();
            states.Add(rig.Noc.Transfer(id).State);
        }

        Assert.Equal([TransferState.Failed, TransferState.Failed, TransferState.Delivered], states);
        Assert.Equal(1, rig.Noc.FaultsPending);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void A_faulted_mailbox_message_is_lost_and_its_neighbours_arrive(NocTimingMode mode)
    {
        TransferRecord[] clean = Mailboxes(mode, fault: false, out _);
        TransferRecord[] lost = Mailboxes(mode, fault: true, out List<(int Id, byte Value)> read);

        Assert.Equal([clean[0], clean[1] with { State = TransferState.Failed }, clean[2]], lost);
        Assert.Equal([(lost[0].Id, (byte)1), (lost[2].Id, (byte)3)], read);
    }

    [Fact]
    public void A_lost_mailbox_message_frees_its_slot()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);
        rig.Noc.InjectFault(TransferKind.Mailbox, CC1, CC0);
        output.Write([1]);
        rig.Scheduler.RunUntilIdle();

        for (int i = 0; i < NetworkOnChip.MailboxSlots; i++)
        {
            output.Write([(byte)i]);
        }

        rig.Scheduler.RunUntilIdle();
        Assert.Equal(NetworkOnChip.MailboxSlots, input.Available);
    }

    [Fact]
    public void Faults_are_refused_for_sync_signals_bad_nodes_and_negative_skips()
    {
        using var rig = new NocRig();

        var sync = Assert.Throws<NocException>(() => rig.Noc.InjectFault(TransferKind.Sync, CC0, CC1));
        Assert.Contains("faults are injected into mailbox and portal transfers", sync.Message);
        Assert.Throws<NocException>(() => rig.Noc.InjectFault(TransferKind.Portal, CC0, 99));
        Assert.Throws<NocException>(() => rig.Noc.InjectFault(TransferKind.Mailbox, CC0, CC1, skip: -1));
        Assert.Equal(0, rig.Noc.FaultsPending);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Channels_and_faults_replay_the_same_way(NocTimingMode mode)
    {
        (TraceEntry[] firstTrace, TransferRecord[] firstRecords) = Scenario(mode);
        (TraceEntry[] secondTrace, TransferRecord[] secondRecords) = Scenario(mode);

        Assert.Contains(firstRecords, record => record.State == TransferState.Failed);
        Assert.Equal(firstTrace, secondTrace);
        Assert.Equal(firstRecords, secondRecords);
    }

    /// <summary>One allowed portal write CC1 → CC0, lost or not, then a second one on the same pair; what both ends saw.</summary>
    private static TransferRecord PortalWrite(NocTimingMode mode, bool fault, out FaultedPortal seen)
    {
        using var rig = new NocRig(mode);
        ulong buffer = rig.UserBase(CC0);
        rig.Fill(CC1, rig.UserBase(CC1), Size, seed: 5);
        rig.Fill(CC0, buffer, Size, seed: 6);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        var inputLog = new NotificationLog();
        var outputLog = new NotificationLog();
        input.Notify(inputLog, 1);
        output.Notify(outputLog, 2);
        if (fault)
        {
            rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0);
        }

        rig.Scheduler.RunUntil(50);
        input.Allow(CC1, buffer, Size);
        int id = output.Write(rig.UserBase(CC1), Size);
        rig.Scheduler.RunUntilIdle();

        bool untouched = true;
        Span<byte> landed = rig.MemoryOf(CC0).Bytes(buffer, Size);
        for (int i = 0; i < landed.Length; i++)
        {
            untouched &= landed[i] == Pattern(i, 6);
        }

        bool completed = input.TryComplete(out int bytes, out int completedId);
        bool allowed = input.IsAllowed;
        bool busy = output.IsBusy;
        int pending = rig.Noc.FaultsPending;
        ulong[] inputNotified = [.. inputLog.Events.Select(e => e.Cycle)];
        ulong[] outputNotified = [.. outputLog.Events.Select(e => e.Cycle)];

        input.Allow(CC1, buffer, Size);
        int next = output.Write(rig.UserBase(CC1), Size);
        rig.Scheduler.RunUntilIdle();
        bool nextLanded = rig.MemoryOf(CC0).Bytes(buffer, Size).SequenceEqual(rig.MemoryOf(CC1).Bytes(rig.UserBase(CC1), Size));

        seen = new FaultedPortal(
            untouched, completed, bytes, completedId, allowed, busy, inputNotified, outputNotified, pending, rig.Noc.Transfer(next), nextLanded);
        return rig.Noc.Transfer(id);
    }

    /// <summary>Three mailbox messages CC10 → CC0, the second lost or not; their records and what the input handed out.</summary>
    private static TransferRecord[] Mailboxes(NocTimingMode mode, bool fault, out List<(int Id, byte Value)> read)
    {
        using var rig = new NocRig(mode);
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC10, CC0);
        if (fault)
        {
            rig.Noc.InjectFault(TransferKind.Mailbox, CC10, CC0, skip: 1);
        }

        int[] ids = [output.Write([1]), output.Write([2]), output.Write([3])];
        rig.Scheduler.RunUntilIdle();

        read = [];
        var buffer = new byte[Mppa256.MailboxPayloadBytes];
        while (input.TryRead(buffer, out MailboxMessage message))
        {
            read.Add((message.TransferId, buffer[0]));
        }

        return [.. ids.Select(rig.Noc.Transfer)];
    }

    /// <summary>Portal traffic on both channels and mailbox traffic, with faults on both kinds.</summary>
    private static (TraceEntry[] Trace, TransferRecord[] Records) Scenario(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        rig.Scheduler.StartTrace();
        using IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput toZero = rig.Noc.OpenMailbox(CC10, CC0);
        using IPortalInput user = rig.Noc.CreatePortal(CC0, 0);
        using IPortalInput kernel = rig.Noc.CreatePortal(CC0, 1);
        using IPortalOutput userOut = rig.Noc.OpenPortal(CC1, CC0, 0);
        using IPortalOutput kernelOut = rig.Noc.OpenPortal(CC1, CC0, 1);
        rig.Noc.InjectFault(TransferKind.Portal, CC1, CC0, skip: 1);
        rig.Noc.InjectFault(TransferKind.Mailbox, CC10, CC0, skip: 3);
        for (int round = 0; round < 4; round++)
        {
            user.Allow(CC1, rig.UserBase(CC0), 20000);
            kernel.Allow(CC1, rig.UserBase(CC0) + 0x8000, 20000);
            userOut.Write(rig.UserBase(CC1), 20000);
            kernelOut.Write(rig.UserBase(CC1), 9000);
            for (int i = 0; i < 3; i++)
            {
                toZero.Write([(byte)round, (byte)i]);
            }

            rig.Scheduler.RunUntilIdle();
            user.TryComplete(out _, out _);
            kernel.TryComplete(out _, out _);
        }

        var records = new TransferRecord[rig.Noc.TransferCount];
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = rig.Noc.Transfer(i);
        }

        return ([.. rig.Scheduler.Trace!], records);
    }

    private sealed record FaultedPortal(
        bool Untouched,
        bool Completed,
        int Bytes,
        int CompletedId,
        bool InputAllowed,
        bool OutputBusy,
        ulong[] InputNotified,
        ulong[] OutputNotified,
        int FaultsPending,
        TransferRecord Next,
        bool NextLanded);
}
