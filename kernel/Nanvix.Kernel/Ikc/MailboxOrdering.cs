using System.Buffers.Binary;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The ordering page of an input mailbox, which keeps its messages exactly once and in order per sender while they
/// may come by different routes (a process that moved): the stamp expected next from each ingress node, and the
/// messages held because they came ahead of their turn, in the page and, past it, in a chain of kernel pages. Also
/// the stamping itself: the first kernel a message reaches writes its node and the port's next count in the header
/// (<see cref="MailboxHeader"/>).
/// </summary>
internal sealed class MailboxOrdering(ClusterMemory memory, PageAllocator pages, MailboxQueue queue, int node)
{
    /// <summary>Ingress nodes an ordering page has an expected stamp for (2 bytes each, before the held messages).</summary>
    public const int MaxIngressNodes = 128;

    /// <summary>Bytes of the expected stamps, at the start of the page (what a move carries of it).</summary>
    public const int ExpectedBytes = MaxIngressNodes * 2;

    /// <summary>
    /// Held messages the ordering page itself has room for; more go into a chain of kernel pages (31 slots each) linked
    /// from the ordering page's last slot, as the queue's pages are, so that nothing is dropped while a process moves.
    /// </summary>
    private const int PageHeldSlots = (MailboxQueue.LinkOffset - ExpectedBytes) / KernelConstants.MailboxSlotBytes;

    /// <summary>Messages dropped as duplicates, or because the kernel pool had no page to hold them.</summary>
    public int Dropped { get; private set; }

    /// <summary>The expected stamps of ordering page <paramref name="page"/>.</summary>
    public Span<byte> Expected(uint page) => memory.Bytes(page, ExpectedBytes);

    /// <summary>Empties ordering page <paramref name="page"/>: every ingress node's first stamp expected, nothing held.</summary>
    public void Clear(uint page) => memory.Bytes(page, (int)KernelConstants.PageSize).Clear();

    /// <summary>Stamps a message that reaches a kernel for the first time with this node and the port's next count.</summary>
    [KernelHotPath]
    public void Stamp(ref MailboxEntry entry, Span<byte> message)
    {
        if (message[3] != 0)
        {
            return;
        }

        message[3] = (byte)(node + 1);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], (ushort)entry.NextStamp);
        entry.NextStamp = (entry.NextStamp + 1) & 0xFFFF;
    }

    /// <summary>
    /// Takes a stamped message for <paramref name="entry"/>: queued if it is the next of its ingress node (and then the
    /// held ones whose turn it makes), held if it is ahead, dropped if it came already. True when it was queued.
    /// </summary>
    [KernelHotPath]
    public bool Accept(ref MailboxEntry entry, ReadOnlySpan<byte> message)
    {
        int ahead = Ahead(entry, message);
        if (ahead < 0)
        {
            Dropped++;
            return false;
        }

        if (ahead > 0)
        {
            Hold(ref entry, message);
            return false;
        }

        queue.Enqueue(ref entry, message);
        Advance(entry, message[3]);
        TakeHeldTurns(ref entry);
        return true;
    }

    /// <summary>Held message <paramref name="index"/> of <paramref name="entry"/> (their order is not that of arrival).</summary>
    public Span<byte> HeldSlot(in MailboxEntry entry, int index)
    {
        int offset = index < PageHeldSlots
            ? ExpectedBytes + (index * KernelConstants.MailboxSlotBytes)
            : (index - PageHeldSlots) % MailboxQueue.PageSlots * KernelConstants.MailboxSlotBytes;
        return memory.Bytes(HeldPage(entry, index) + (ulong)offset, KernelConstants.MailboxSlotBytes);
    }

    /// <summary>Frees the ordering page of <paramref name="entry"/> and the pages chained after it.</summary>
    public void Free(in MailboxEntry entry)
    {
        FreeHeldChain(entry);
        pages.Free(entry.Ordering);
    }

    /// <summary>How far a message is ahead of its ingress node's turn: 0 its turn, above 0 early, below 0 a duplicate.</summary>
    private int Ahead(in MailboxEntry entry, ReadOnlySpan<byte> message)
    {
        ushort expected = memory.Read<ushort>(entry.Ordering + (ulong)(2 * (message[3] - 1)));
        ushort stamp = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        return (short)(ushort)(stamp - expected);
    }

    private void Advance(in MailboxEntry entry, byte ingress)
    {
        ulong at = entry.Ordering + (ulong)(2 * (ingress - 1));
        memory.Write(at, (ushort)(memory.Read<ushort>(at) + 1));
    }

    private void Hold(ref MailboxEntry entry, ReadOnlySpan<byte> message)
    {
        int held = entry.Held;
        if (held >= PageHeldSlots && (held - PageHeldSlots) % MailboxQueue.PageSlots == 0)
        {
            // The last held page is full: chain a new one, while the kernel pool has pages.
            if (!pages.TryAllocate(out uint page))
            {
                Dropped++;
                return;
            }

            memory.Write(page + (ulong)MailboxQueue.LinkOffset, 0u);
            memory.Write(HeldPage(entry, held - 1) + (ulong)MailboxQueue.LinkOffset, page);
        }

        message.CopyTo(HeldSlot(entry, held));
        entry.Held++;
    }

    /// <summary>The page held message <paramref name="index"/> lives in: the ordering page, or a page of its chain.</summary>
    private uint HeldPage(in MailboxEntry entry, int index)
    {
        uint page = entry.Ordering;
        for (int hops = index < PageHeldSlots ? 0 : 1 + ((index - PageHeldSlots) / MailboxQueue.PageSlots); hops > 0; hops--)
        {
            page = memory.Read<uint>(page + (ulong)MailboxQueue.LinkOffset);
        }

        return page;
    }

    /// <summary>Frees the pages chained after the ordering page for held messages (none are held beyond it any more).</summary>
    private void FreeHeldChain(in MailboxEntry entry)
    {
        uint page = memory.Read<uint>(entry.Ordering + (ulong)MailboxQueue.LinkOffset);
        memory.Write(entry.Ordering + (ulong)MailboxQueue.LinkOffset, 0u);
        while (page != 0)
        {
            uint next = memory.Read<uint>(page + (ulong)MailboxQueue.LinkOffset);
            pages.Free(page);
            page = next;
        }
    }

    /// <summary>Queues the held messages whose turn has come, until none has.</summary>
    private void TakeHeldTurns(ref MailboxEntry entry)
    {
        for (int i = 0; i < entry.Held;)
        {
            Span<byte> held = HeldSlot(entry, i);
            int ahead = Ahead(entry, held);
            if (ahead > 0)
            {
                i++;
                continue;
            }

            if (ahead == 0)
            {
                queue.Enqueue(ref entry, held);
                Advance(entry, held[3]);
            }
            else
            {
                Dropped++;
            }

            RemoveHeld(ref entry, i);

            // A message queued may make an earlier held one the next: look again from the start.
            i = 0;
        }
    }

    /// <summary>Removes held message <paramref name="index"/>: the last held one takes its slot (their order does not matter, their stamps do).</summary>
    private void RemoveHeld(ref MailboxEntry entry, int index)
    {
        int last = entry.Held - 1;
        if (index != last)
        {
            HeldSlot(entry, last).CopyTo(HeldSlot(entry, index));
        }

        entry.Held--;
        if (entry.Held == PageHeldSlots)
        {
            FreeHeldChain(entry);
        }
        else if (entry.Held > PageHeldSlots && (entry.Held - PageHeldSlots) % MailboxQueue.PageSlots == 0)
        {
            // The last chained page has emptied: give it back, so that the next message held past here chains a new one
            // from the page before (as Hold expects) and no page is left linked but unreachable.
            uint before = HeldPage(entry, entry.Held - 1);
            uint emptied = memory.Read<uint>(before + (ulong)MailboxQueue.LinkOffset);
            memory.Write(before + (ulong)MailboxQueue.LinkOffset, 0u);
            pages.Free(emptied);
        }
    }
}
