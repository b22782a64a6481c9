using CsCheck;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using static Nanvix.Kernel.Tests.Units.MailboxMessages;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// <see cref="MailboxQueue"/> alone over a compute cluster's memory: an input's messages oldest first in a chain of
/// kernel pages (31 slots of 128 bytes a page, the last slot's first word the link), a page taken from the kernel pool
/// when the last is full and given back when read through, a message dropped and counted when the pool has no page.
/// </summary>
public sealed class MailboxQueueTests
{
    private const int PageSlots = MailboxQueue.PageSlots;

    [Fact]
    public void A_page_holds_31_slots_of_128_bytes_and_its_last_slot_is_the_link()
    {
        Assert.Equal(32, MailboxQueue.Slots);
        Assert.Equal(31, PageSlots);
        Assert.Equal(31 * 128, MailboxQueue.LinkOffset);
        Assert.Equal(KernelConstants.PageSize, (uint)(MailboxQueue.Slots * Slot));
    }

    [Fact]
    public void Messages_come_out_oldest_first_across_page_boundaries()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        const int Count = (3 * PageSlots) + 7;
        for (int n = 0; n < Count; n++)
        {
            queue.Enqueue(ref entry, Message(n, length: n % 120));
        }

        Assert.Equal(Count, entry.Count);
        Assert.Equal(Count, entry.Received);
        for (int n = 0; n < Count; n++)
        {
            Assert.Equal(Message(n, length: n % 120), Framed(queue.Oldest(entry)));
            queue.Dequeue(ref entry);
            Assert.Equal(Count - n - 1, entry.Count);
        }

        Assert.Equal(Count, entry.Received);
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public void The_queue_takes_a_page_only_when_its_last_page_is_full_and_links_it_from_the_last_slot()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        uint first = entry.Buffer;
        int free = rig.KernelPages.FreeCount;

        for (int n = 0; n < PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        Assert.Equal(free, rig.KernelPages.FreeCount);
        Assert.Equal(first, entry.Tail);
        Assert.Equal(PageSlots, entry.TailCount);
        Assert.Equal(0u, rig.Memory.Read<uint>(first + (ulong)MailboxQueue.LinkOffset));

        queue.Enqueue(ref entry, Message(PageSlots));

        Assert.Equal(free - 1, rig.KernelPages.FreeCount);
        Assert.NotEqual(first, entry.Tail);
        Assert.True(rig.KernelPages.Owns(entry.Tail));
        Assert.Equal(entry.Tail, rig.Memory.Read<uint>(first + (ulong)MailboxQueue.LinkOffset));
        Assert.Equal(first, entry.Buffer);
        Assert.Equal(1, entry.TailCount);
        Assert.Equal(0, entry.Head);
        Assert.Equal(PageSlots + 1, entry.Count);
    }

    [Fact]
    public void Message_bytes_land_in_cluster_memory_in_the_slots_of_the_queue_pages()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        uint first = entry.Buffer;

        // Full 128-byte messages: the 31st ends right where the link word begins, which it must not touch.
        for (int n = 0; n <= PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(n, length: Slot - Header));
        }

        for (int n = 0; n < PageSlots; n++)
        {
            Assert.Equal(Message(n, length: Slot - Header), rig.Memory.Bytes(first + (ulong)(n * Slot), Slot).ToArray());
        }

        Assert.Equal(entry.Tail, rig.Memory.Read<uint>(first + (ulong)MailboxQueue.LinkOffset));
        Assert.All(rig.Memory.Bytes(first + (ulong)MailboxQueue.LinkOffset + 4, Slot - 4).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(Message(PageSlots, length: Slot - Header), rig.Memory.Bytes(entry.Tail, Slot).ToArray());

        // What the kernel reads is those bytes themselves, not a copy.
        Assert.True(queue.Oldest(entry).Overlaps(rig.Memory.Bytes(first, Slot)));
    }

    [Fact]
    public void A_page_read_through_goes_back_to_the_pool_and_the_next_page_becomes_the_first()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        uint first = entry.Buffer;
        for (int n = 0; n < 2 * PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        uint second = entry.Tail;
        int free = rig.KernelPages.FreeCount;
        for (int n = 0; n < PageSlots - 1; n++)
        {
            queue.Dequeue(ref entry);
        }

        Assert.Equal(free, rig.KernelPages.FreeCount);
        Assert.Equal(first, entry.Buffer);
        Assert.Equal(PageSlots - 1, entry.Head);

        queue.Dequeue(ref entry);

        Assert.Equal(free + 1, rig.KernelPages.FreeCount);
        Assert.False(IsTaken(rig, first));
        Assert.Equal(second, entry.Buffer);
        Assert.Equal(0, entry.Head);
        Assert.Equal(PageSlots, entry.Count);
        Assert.Equal(Message(PageSlots), Framed(queue.Oldest(entry)));
    }

    [Fact]
    public void A_drained_queue_keeps_its_one_page_and_starts_again_at_its_top()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        int free = rig.KernelPages.FreeCount;
        for (int n = 0; n < PageSlots + 5; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        uint last = entry.Tail;
        for (int n = 0; n < PageSlots + 5; n++)
        {
            queue.Dequeue(ref entry);
        }

        Assert.Equal(0, entry.Count);
        Assert.Equal(last, entry.Buffer);
        Assert.Equal(last, entry.Tail);
        Assert.Equal(0, entry.Head);
        Assert.Equal(0, entry.TailCount);
        Assert.Equal(free, rig.KernelPages.FreeCount);

        // The next message goes to the page's first slot, and a whole page of them fits before another page is taken.
        queue.Enqueue(ref entry, Message(99));
        Assert.Equal(Message(99), Framed(rig.Memory.Bytes(last, Slot)));
        for (int n = 1; n < PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(99 + n));
        }

        Assert.Equal(free, rig.KernelPages.FreeCount);
    }

    [Fact]
    public void With_the_kernel_pool_exhausted_a_message_that_needs_a_page_is_dropped_and_counted_and_nothing_else_changes()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        for (int n = 0; n < PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        var others = new List<uint>();
        while (rig.KernelPages.TryAllocate(out uint page))
        {
            others.Add(page);
        }

        MailboxEntry before = entry;
        byte[] pool = rig.Memory.Region(MemoryRegionNames.KernelPool).ToArray();
        byte[] bitmap = rig.Memory.Bytes(rig.KernelPagesBitmap, 8).ToArray();

        queue.Enqueue(ref entry, Message(PageSlots));
        queue.Enqueue(ref entry, Message(PageSlots + 1));

        Assert.Equal(2, queue.Dropped);
        Assert.Equal(before, entry);
        Assert.Equal(pool, rig.Memory.Region(MemoryRegionNames.KernelPool).ToArray());
        Assert.Equal(bitmap, rig.Memory.Bytes(rig.KernelPagesBitmap, 8).ToArray());
        Assert.Equal(0, rig.KernelPages.FreeCount);

        // A page back in the pool, and the queue grows again; what it dropped stays dropped.
        rig.KernelPages.Free(others[^1]);
        queue.Enqueue(ref entry, Message(PageSlots + 2));
        Assert.Equal(2, queue.Dropped);
        Assert.Equal(others[^1], entry.Tail);
        Assert.Equal(PageSlots + 1, entry.Count);
        for (int n = 0; n < PageSlots; n++)
        {
            queue.Dequeue(ref entry);
        }

        Assert.Equal(Message(PageSlots + 2), Framed(queue.Oldest(entry)));
    }

    [Fact]
    public void A_message_into_a_page_with_room_is_never_dropped_however_empty_the_pool()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        while (rig.KernelPages.TryAllocate(out _))
        {
        }

        for (int n = 0; n < PageSlots; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        Assert.Equal(0, queue.Dropped);
        Assert.Equal(PageSlots, entry.Count);
    }

    [Fact]
    public void At_reads_message_i_from_the_oldest_across_pages_and_changes_nothing()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        for (int n = 0; n < (3 * PageSlots) + 2; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        // Read some off, so that the oldest is in the middle of its page.
        for (int n = 0; n < 10; n++)
        {
            queue.Dequeue(ref entry);
        }

        MailboxEntry before = entry;
        int free = rig.KernelPages.FreeCount;
        Assert.True(queue.At(entry, 0).SequenceEqual(queue.Oldest(entry)));
        for (int i = 0; i < entry.Count; i++)
        {
            Assert.Equal(Message(10 + i), Framed(queue.At(entry, i)));
        }

        Assert.Equal(Message((3 * PageSlots) + 1), Framed(queue.At(entry, entry.Count - 1)));
        Assert.Equal(before, entry);
        Assert.Equal(free, rig.KernelPages.FreeCount);
    }

    [Fact]
    public void Oldest_peeks_and_only_dequeue_moves_on()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        MailboxEntry entry = NewInput(rig);
        queue.Enqueue(ref entry, Message(1));
        queue.Enqueue(ref entry, Message(2));

        Assert.Equal(Message(1), Framed(queue.Oldest(entry)));
        Assert.Equal(Message(1), Framed(queue.Oldest(entry)));
        Assert.Equal(2, entry.Count);
        queue.Dequeue(ref entry);
        Assert.Equal(Message(2), Framed(queue.Oldest(entry)));
    }

    [Fact]
    public void Framed_cuts_a_slot_to_its_header_and_the_length_the_header_gives()
    {
        var slot = new byte[Slot];
        Message(3, length: 17).CopyTo(slot);
        slot[Header + 17] = 0xEE;

        Assert.Equal(Message(3, length: 17), MailboxQueue.Framed(slot).ToArray());
        Assert.Equal(Header, MailboxQueue.Framed(Message(0, length: 0)).Length);
        Assert.Equal(Slot, MailboxQueue.Framed(Message(0, length: Slot - Header)).Length);
    }

    [Fact]
    public void Free_gives_every_page_of_the_chain_back_to_the_pool()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        int free = rig.KernelPages.FreeCount;
        MailboxEntry entry = NewInput(rig);
        rig.KernelPages.Free(entry.Ordering);
        for (int n = 0; n < (4 * PageSlots) + 3; n++)
        {
            queue.Enqueue(ref entry, Message(n));
        }

        for (int n = 0; n < PageSlots + 4; n++)
        {
            queue.Dequeue(ref entry);
        }

        Assert.Equal(free - 4, rig.KernelPages.FreeCount);

        queue.Free(entry);

        Assert.Equal(free, rig.KernelPages.FreeCount);
    }

    [Fact]
    public void Free_of_an_empty_queue_gives_back_its_one_page()
    {
        using var rig = new KernelDataRig();
        var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        int free = rig.KernelPages.FreeCount;
        MailboxEntry entry = NewInput(rig);
        rig.KernelPages.Free(entry.Ordering);

        queue.Free(entry);

        Assert.Equal(free, rig.KernelPages.FreeCount);
        Assert.False(IsTaken(rig, entry.Buffer));
    }

    [Fact]
    public void Any_sequence_of_enqueues_and_dequeues_behaves_as_a_fifo_of_byte_arrays()
    {
        // The model: a Queue<byte[]> and the pages a queue of that many messages needs. After every step the queue
        // holds the model's messages in order (read by At, then the oldest), and the pool lends it exactly the pages
        // its messages span: one, or one per 31 from its head slot on.
        Gen<(bool Enqueue, int Length)[]> operations = Gen.Select(Gen.Int[0, 99].Select(n => n < 60), Gen.Int[0, Slot - Header]).Array[1, 300];

        operations.Sample(
            ops =>
            {
                using var rig = new KernelDataRig();
                var queue = new MailboxQueue(rig.Memory, rig.KernelPages);
                int free = rig.KernelPages.FreeCount;
                MailboxEntry entry = NewInput(rig);
                rig.KernelPages.Free(entry.Ordering);
                var model = new Queue<byte[]>();
                int sent = 0;
                foreach ((bool enqueue, int length) in ops)
                {
                    if (enqueue)
                    {
                        byte[] message = Message(sent++, length);
                        queue.Enqueue(ref entry, message);
                        model.Enqueue(message);
                    }
                    else if (model.Count > 0)
                    {
                        Assert.Equal(model.Dequeue(), Framed(queue.Oldest(entry)));
                        queue.Dequeue(ref entry);
                    }

                    Assert.Equal(model.Count, entry.Count);
                    Assert.Equal(sent, entry.Received);
                    int pages = model.Count == 0 ? 1 : ((entry.Head + model.Count - 1) / PageSlots) + 1;
                    Assert.Equal(free - pages, rig.KernelPages.FreeCount);
                    int i = 0;
                    foreach (byte[] message in model)
                    {
                        Assert.Equal(message, Framed(queue.At(entry, i++)));
                    }
                }

                queue.Free(entry);
                Assert.Equal(free, rig.KernelPages.FreeCount);
                Assert.Equal(0, queue.Dropped);
            },
            seed: "mBoxQ1fifo00",
            iter: 200,
            threads: 1);
    }

    private static bool IsTaken(KernelDataRig rig, uint page)
    {
        int index = (int)((page - rig.KernelPages.Region.Base) / KernelConstants.PageSize);
        return (rig.Memory.Read<byte>(rig.KernelPagesBitmap + (ulong)(index / 8)) & (1 << (index % 8))) != 0;
    }
}
