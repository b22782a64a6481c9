using System.Buffers.Binary;
using CsCheck;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using static Nanvix.Kernel.Tests.Units.MailboxMessages;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// <see cref="MailboxOrdering"/> alone over a compute cluster's memory, with the <see cref="MailboxQueue"/> it queues
/// into: stamps count up per port on the node a message reaches first; an input takes each ingress node's stamps in
/// order, exactly once, holding the early ones (29 in the ordering page, then a chain of kernel pages) until their turn.
/// </summary>
public sealed class MailboxOrderingTests
{
    public const int Node = 3;

    /// <summary>Held messages the ordering page itself has room for: after the 256 bytes of expected stamps, up to the link slot.</summary>
    private const int PageHeld = 29;

    [Fact]
    public void The_ordering_page_keeps_a_stamp_per_ingress_node_then_29_held_slots_before_its_link()
    {
        Assert.Equal(128, MailboxOrdering.MaxIngressNodes);
        Assert.Equal(256, MailboxOrdering.ExpectedBytes);
        Assert.Equal(PageHeld, (MailboxQueue.LinkOffset - MailboxOrdering.ExpectedBytes) / Slot);

        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        Assert.Equal(MailboxOrdering.ExpectedBytes, parts.Ordering.Expected(entry.Ordering).Length);
        Assert.True(parts.Ordering.Expected(entry.Ordering).Overlaps(rig.Memory.Bytes(entry.Ordering, 1)));
        Assert.True(parts.Ordering.HeldSlot(entry, 0).Overlaps(rig.Memory.Bytes(entry.Ordering + 256, 1)));
        Assert.True(parts.Ordering.HeldSlot(entry, PageHeld - 1).Overlaps(rig.Memory.Bytes(entry.Ordering + (ulong)MailboxQueue.LinkOffset - 1, 1)));
    }

    [Fact]
    public void Stamping_writes_this_node_and_the_ports_next_count_and_counts_up()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        entry.NextStamp = 41;

        for (int i = 0; i < 3; i++)
        {
            byte[] message = Message(i);
            byte[] unstamped = message.ToArray();
            parts.Ordering.Stamp(ref entry, message);

            Assert.Equal(Node + 1, message[3]);
            Assert.Equal(41 + i, StampOf(message));

            // Only the ingress and stamp bytes change: length, port, source node and payload stay.
            message[3] = 0;
            message[6] = 0;
            message[7] = 0;
            Assert.Equal(unstamped, message);
        }

        Assert.Equal(44, entry.NextStamp);
    }

    [Fact]
    public void A_message_stamped_already_keeps_its_stamp_and_takes_no_count()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        entry.NextStamp = 7;
        byte[] message = Stamped(ingress: 9, stamp: 1234, n: 0);

        parts.Ordering.Stamp(ref entry, message);

        Assert.Equal(Stamped(ingress: 9, stamp: 1234, n: 0), message);
        Assert.Equal(7, entry.NextStamp);
    }

    [Fact]
    public void Stamps_wrap_from_65535_to_0_and_the_input_takes_them_in_turn_across_the_wrap()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        entry.NextStamp = 0xFFFF;
        SetExpected(rig, entry, Node, 0xFFFF);

        byte[] last = Message(0);
        byte[] first = Message(1);
        parts.Ordering.Stamp(ref entry, last);
        parts.Ordering.Stamp(ref entry, first);

        Assert.Equal(0xFFFF, StampOf(last));
        Assert.Equal(0, StampOf(first));
        Assert.Equal(1, entry.NextStamp);

        // The one after the wrap comes first: it is early (held), not a duplicate.
        Assert.False(parts.Ordering.Accept(ref entry, first));
        Assert.Equal(1, entry.Held);
        Assert.True(parts.Ordering.Accept(ref entry, last));
        Assert.Equal([last, first], parts.Queued(ref entry));
        Assert.Equal(1, Expected(rig, entry, Node));

        // And one from before the wrap is a duplicate now.
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 0xFFFE, 2)));
        Assert.Equal(1, parts.Ordering.Dropped);
    }

    [Fact]
    public void A_message_in_its_turn_is_queued_at_once_and_its_ingress_nodes_expected_stamp_moves_on()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);

        Assert.True(parts.Ordering.Accept(ref entry, Stamped(ingress: 4, stamp: 0, n: 0)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(ingress: 4, stamp: 1, n: 1)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(ingress: 0, stamp: 0, n: 2)));

        Assert.Equal(3, entry.Count);
        Assert.Equal(0, entry.Held);
        Assert.Equal(2, Expected(rig, entry, 4));
        Assert.Equal(1, Expected(rig, entry, 0));
        byte[] expected = new byte[MailboxOrdering.ExpectedBytes];
        expected[0] = 1;
        expected[8] = 2;
        Assert.Equal(expected, parts.Ordering.Expected(entry.Ordering).ToArray());
        Assert.Equal([Stamped(4, 0, 0), Stamped(4, 1, 1), Stamped(0, 0, 2)], parts.Queued(ref entry));
    }

    [Fact]
    public void A_message_ahead_of_its_turn_is_held_until_the_gap_is_filled_then_all_come_in_stamp_order()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 3, 3)));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 1, 1)));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 2, 2)));

        Assert.Equal(0, entry.Count);
        Assert.Equal(0, entry.Received);
        Assert.Equal(3, entry.Held);
        Assert.Equal(0, Expected(rig, entry, Node));
        Assert.Equal(Stamped(Node, 3, 3), Framed(parts.Ordering.HeldSlot(entry, 0)));

        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));

        Assert.Equal(0, entry.Held);
        Assert.Equal(4, Expected(rig, entry, Node));
        Assert.Equal([Stamped(Node, 0, 0), Stamped(Node, 1, 1), Stamped(Node, 2, 2), Stamped(Node, 3, 3)], parts.Queued(ref entry));
        Assert.Equal(0, parts.Ordering.Dropped);
    }

    [Fact]
    public void A_gap_of_one_ingress_node_holds_only_that_nodes_later_messages()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(1, 1, 11)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(2, 0, 20)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(2, 1, 21)));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(1, 2, 12)));
        Assert.Equal(2, entry.Held);

        Assert.True(parts.Ordering.Accept(ref entry, Stamped(1, 0, 10)));

        Assert.Equal(
            [Stamped(2, 0, 20), Stamped(2, 1, 21), Stamped(1, 0, 10), Stamped(1, 1, 11), Stamped(1, 2, 12)],
            parts.Queued(ref entry));
    }

    [Fact]
    public void A_message_that_came_already_is_dropped_and_counted_and_changes_nothing()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 1, 1)));
        MailboxEntry before = entry;
        byte[] page = rig.Memory.Bytes(entry.Ordering, (int)KernelConstants.PageSize).ToArray();

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 1, 1)));

        Assert.Equal(2, parts.Ordering.Dropped);
        Assert.Equal(0, parts.Queue.Dropped);
        Assert.Equal(before, entry);
        Assert.Equal(page, rig.Memory.Bytes(entry.Ordering, (int)KernelConstants.PageSize).ToArray());
    }

    [Fact]
    public void A_message_held_twice_is_queued_once_and_its_copy_dropped_when_its_turn_comes()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 1, 1)));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, 1, 1)));
        Assert.Equal(2, entry.Held);

        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));

        Assert.Equal(0, entry.Held);
        Assert.Equal(1, parts.Ordering.Dropped);
        Assert.Equal([Stamped(Node, 0, 0), Stamped(Node, 1, 1)], parts.Queued(ref entry));
    }

    [Fact]
    public void Past_the_29_held_slots_of_the_ordering_page_held_messages_go_to_chained_kernel_pages_which_come_back()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        int free = rig.KernelPages.FreeCount;
        ulong link = entry.Ordering + (ulong)MailboxQueue.LinkOffset;

        for (int s = 1; s <= PageHeld; s++)
        {
            Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, s, s)));
        }

        Assert.Equal(free, rig.KernelPages.FreeCount);
        Assert.Equal(0u, rig.Memory.Read<uint>(link));

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, PageHeld + 1, PageHeld + 1)));

        Assert.Equal(free - 1, rig.KernelPages.FreeCount);
        uint chained = rig.Memory.Read<uint>(link);
        Assert.True(rig.KernelPages.Owns(chained));
        Assert.Equal(Stamped(Node, PageHeld + 1, PageHeld + 1), Framed(rig.Memory.Bytes(chained, Slot)));
        Assert.Equal(Stamped(Node, PageHeld + 1, PageHeld + 1), Framed(parts.Ordering.HeldSlot(entry, PageHeld)));

        // 31 a chained page: the 61st held message takes a second one, linked from the first's last slot.
        for (int s = PageHeld + 2; s <= PageHeld + MailboxQueue.PageSlots + 1; s++)
        {
            Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, s, s)));
        }

        Assert.Equal(61, entry.Held);
        Assert.Equal(free - 2, rig.KernelPages.FreeCount);
        uint second = rig.Memory.Read<uint>(chained + (ulong)MailboxQueue.LinkOffset);
        Assert.Equal(Stamped(Node, 61, 61), Framed(rig.Memory.Bytes(second, Slot)));

        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));

        Assert.Equal(0, entry.Held);
        Assert.Equal(0u, rig.Memory.Read<uint>(link));
        Assert.Equal(Enumerable.Range(0, 62).Select(s => Stamped(Node, s, s)), parts.Queued(ref entry));

        // The chain is back in the pool; the queue, read through, keeps its one page, as it started.
        Assert.Equal(free, rig.KernelPages.FreeCount);
        Assert.Equal(0, parts.Ordering.Dropped + parts.Queue.Dropped);
    }

    [Fact]
    public void With_the_kernel_pool_exhausted_a_message_that_needs_a_held_page_is_dropped_and_counted()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        for (int s = 1; s <= PageHeld; s++)
        {
            Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, s, s)));
        }

        while (rig.KernelPages.TryAllocate(out _))
        {
        }

        MailboxEntry before = entry;
        byte[] page = rig.Memory.Bytes(entry.Ordering, (int)KernelConstants.PageSize).ToArray();

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, PageHeld + 1, PageHeld + 1)));

        Assert.Equal(1, parts.Ordering.Dropped);
        Assert.Equal(before, entry);
        Assert.Equal(page, rig.Memory.Bytes(entry.Ordering, (int)KernelConstants.PageSize).ToArray());

        // The gap filled, the held ones come; the dropped one left a gap of its own, so what follows it is held.
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, 0, 0)));
        Assert.Equal(PageHeld + 1, entry.Count);
        Assert.Equal(PageHeld + 1, Expected(rig, entry, Node));
        Assert.False(parts.Ordering.Accept(ref entry, Stamped(Node, PageHeld + 2, 0)));
        Assert.Equal(1, entry.Held);
    }

    [Fact]
    public void A_message_in_its_turn_that_the_queue_drops_for_want_of_a_page_still_takes_its_stamp()
    {
        // The queue counts the drop; the ordering moves on, so that what follows is not held for ever.
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        for (int s = 0; s < MailboxQueue.PageSlots; s++)
        {
            Assert.True(parts.Ordering.Accept(ref entry, Stamped(Node, s, s)));
        }

        while (rig.KernelPages.TryAllocate(out _))
        {
        }

        parts.Ordering.Accept(ref entry, Stamped(Node, 31, 31));

        Assert.Equal(1, parts.Queue.Dropped);
        Assert.Equal(0, parts.Ordering.Dropped);
        Assert.Equal(MailboxQueue.PageSlots, entry.Count);
        Assert.Equal(32, Expected(rig, entry, Node));
        Assert.Equal(0, entry.Held);
    }

    [Fact]
    public void Clear_empties_the_whole_ordering_page_every_node_expected_from_stamp_0()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        rig.Fill(entry.Ordering, (int)KernelConstants.PageSize, 0xA5);
        rig.Fill(entry.Ordering + KernelConstants.PageSize, 16, 0x5A);
        rig.Fill(entry.Ordering - 16, 16, 0x5A);

        parts.Ordering.Clear(entry.Ordering);

        Assert.All(rig.Memory.Bytes(entry.Ordering, (int)KernelConstants.PageSize).ToArray(), b => Assert.Equal(0, b));
        Assert.All(rig.Memory.Bytes(entry.Ordering + KernelConstants.PageSize, 16).ToArray(), b => Assert.Equal(0x5A, b));
        Assert.All(rig.Memory.Bytes(entry.Ordering - 16, 16).ToArray(), b => Assert.Equal(0x5A, b));
        for (int ingress = 0; ingress < MailboxOrdering.MaxIngressNodes; ingress += 17)
        {
            Assert.True(parts.Ordering.Accept(ref entry, Stamped(ingress, 0, ingress)));
        }
    }

    [Fact]
    public void Expected_stamps_written_into_a_page_are_where_the_input_counts_from()
    {
        // What a move does: the target copies the expected stamps the source kept into a cleared page.
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        MailboxEntry entry = NewInput(rig);
        byte[] carried = new byte[MailboxOrdering.ExpectedBytes];
        BinaryPrimitives.WriteUInt16LittleEndian(carried.AsSpan(2 * 5), 300);
        parts.Ordering.Clear(entry.Ordering);
        carried.CopyTo(parts.Ordering.Expected(entry.Ordering));

        Assert.False(parts.Ordering.Accept(ref entry, Stamped(5, 299, 0)));
        Assert.Equal(1, parts.Ordering.Dropped);
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(5, 300, 1)));
        Assert.True(parts.Ordering.Accept(ref entry, Stamped(6, 0, 2)));
    }

    [Fact]
    public void Free_gives_back_the_ordering_page_and_its_held_chain()
    {
        using var rig = new KernelDataRig();
        MailboxParts parts = new(rig, Node);
        int free = rig.KernelPages.FreeCount;
        MailboxEntry entry = NewInput(rig);
        for (int s = 1; s <= PageHeld + MailboxQueue.PageSlots + 5; s++)
        {
            parts.Ordering.Accept(ref entry, Stamped(Node, s, s));
        }

        Assert.Equal(free - 4, rig.KernelPages.FreeCount);

        parts.Ordering.Free(entry);
        parts.Queue.Free(entry);

        Assert.Equal(free, rig.KernelPages.FreeCount);
    }

    [Fact]
    public void Any_arrival_order_of_stamped_messages_from_several_nodes_is_queued_once_each_in_stamp_order_per_node()
    {
        // The model: each of three ingress nodes sends stamps 0..n-1, every message arriving once or twice in any
        // order. Whatever the order, each node's messages are queued once, in stamp order; nothing stays held; the
        // copies are the dropped ones; and the pages the held chain took are back in the pool.
        Gen<(int Node, int Stamp)[]> arrivals =
            Gen.Int[1, 50].Array[3].SelectMany(counts =>
                Gen.Int[0, 99].Array[counts.Sum()].SelectMany(twice =>
                {
                    var all = new List<(int, int)>();
                    int k = 0;
                    for (int node = 0; node < 3; node++)
                    {
                        for (int s = 0; s < counts[node]; s++)
                        {
                            all.Add((node * 40, s));
                            if (twice[k++] < 20)
                            {
                                all.Add((node * 40, s));
                            }
                        }
                    }

                    return Gen.Shuffle(all.ToArray());
                }));

        arrivals.Sample(
            order =>
            {
                using var rig = new KernelDataRig();
                MailboxParts parts = new(rig, Node);
                int free = rig.KernelPages.FreeCount;
                MailboxEntry entry = NewInput(rig);
                foreach ((int node, int stamp) in order)
                {
                    parts.Ordering.Accept(ref entry, Stamped(node, stamp, stamp));
                }

                Assert.Equal(0, entry.Held);
                int distinct = order.Distinct().Count();
                Assert.Equal(distinct, entry.Count);
                Assert.Equal(order.Length - distinct, parts.Ordering.Dropped);
                Dictionary<int, int> next = new() { [0] = 0, [40] = 0, [80] = 0 };
                foreach (byte[] message in parts.Queued(ref entry))
                {
                    int node = message[3] - 1;
                    Assert.Equal(next[node]++, StampOf(message));
                }

                // The pages the held chain took are all back in the pool too.
                parts.Ordering.Free(entry);
                parts.Queue.Free(entry);
                Assert.Equal(free, rig.KernelPages.FreeCount);
            },
            seed: "0rDeR1ngM1x0",
            iter: 100,
            threads: 1);
    }

    private static int Expected(KernelDataRig rig, in MailboxEntry entry, int ingress) => rig.Memory.Read<ushort>(entry.Ordering + (ulong)(2 * ingress));

    private static void SetExpected(KernelDataRig rig, in MailboxEntry entry, int ingress, int stamp) => rig.Memory.Write(entry.Ordering + (ulong)(2 * ingress), (ushort)stamp);
}
