using System.Buffers.Binary;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The queue of an input mailbox: its messages, oldest first, in a chain of kernel pages that grows from the kernel
/// pool as messages come and gives its pages back as they are read. Each page holds <see cref="PageSlots"/> message
/// slots; the last slot's first word links to the next page.
/// </summary>
internal sealed class MailboxQueue(ClusterMemory memory, PageAllocator pages)
{
    /// <summary>Message slots of a kernel page.</summary>
    public const int Slots = (int)(KernelConstants.PageSize / KernelConstants.MailboxSlotBytes);

    /// <summary>Message slots of one page of a queue (and of a held chain's page).</summary>
    public const int PageSlots = Slots - 1;

    /// <summary>Where a queue page keeps the link to its next page.</summary>
    public const int LinkOffset = PageSlots * KernelConstants.MailboxSlotBytes;

    /// <summary>Messages dropped because the kernel pool had no page for the queue.</summary>
    public int Dropped { get; private set; }

    /// <summary>A message slot cut to its header and payload.</summary>
    public static ReadOnlySpan<byte> Framed(ReadOnlySpan<byte> slot) => slot[..(KernelConstants.MailboxHeaderBytes + BinaryPrimitives.ReadUInt16LittleEndian(slot))];

    /// <summary>Appends <paramref name="message"/> to the queue of <paramref name="entry"/>; dropped when the queue needs a page the pool has not.</summary>
    [KernelHotPath]
    public void Enqueue(ref MailboxEntry entry, ReadOnlySpan<byte> message)
    {
        if (entry.TailCount == PageSlots)
        {
            // The last page is full: chain a new one, while the kernel pool has pages.
            if (!pages.TryAllocate(out uint page))
            {
                Dropped++;
                return;
            }

            memory.Write(entry.Tail + (ulong)LinkOffset, page);
            entry.Tail = page;
            entry.TailCount = 0;
        }

        message.CopyTo(memory.Bytes(entry.Tail + (ulong)(entry.TailCount * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
        entry.TailCount++;
        entry.Count++;
        entry.Received++;
    }

    /// <summary>The slot of the oldest queued message of <paramref name="entry"/> (its header, then its payload).</summary>
    [KernelHotPath]
    public Span<byte> Oldest(in MailboxEntry entry) =>
        memory.Bytes(entry.Buffer + (ulong)(entry.Head * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);

    /// <summary>Takes the oldest queued message off the queue of <paramref name="entry"/>, giving back a page it used up.</summary>
    [KernelHotPath]
    public void Dequeue(ref MailboxEntry entry)
    {
        entry.Head++;
        entry.Count--;
        if (entry.Buffer == entry.Tail && entry.Head == entry.TailCount)
        {
            // The queue is empty: start again at the top of its one page.
            entry.Head = 0;
            entry.TailCount = 0;
        }
        else if (entry.Head == PageSlots)
        {
            // The first page is used up: give it back and go on with the next one.
            uint next = memory.Read<uint>(entry.Buffer + (ulong)LinkOffset);
            pages.Free(entry.Buffer);
            entry.Buffer = next;
            entry.Head = 0;
        }
    }

    /// <summary>Message <paramref name="index"/> of the queue of <paramref name="entry"/> (0 the oldest), in its chain of pages.</summary>
    public Span<byte> At(in MailboxEntry entry, int index)
    {
        int position = entry.Head + index;
        uint page = entry.Buffer;
        for (int hops = position / PageSlots; hops > 0; hops--)
        {
            page = memory.Read<uint>(page + (ulong)LinkOffset);
        }

        return memory.Bytes(page + (ulong)(position % PageSlots * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);
    }

    /// <summary>Frees the whole chain of queue pages of <paramref name="entry"/>, oldest first.</summary>
    public void Free(in MailboxEntry entry)
    {
        for (uint page = entry.Buffer; page != 0;)
        {
            uint next = page == entry.Tail ? 0 : memory.Read<uint>(page + (ulong)LinkOffset);
            pages.Free(page);
            page = next;
        }
    }
}
