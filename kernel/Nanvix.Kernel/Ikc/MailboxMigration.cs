using System.Buffers.Binary;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The mailboxes' part of a move: on the source, whether they can move now, their images (descriptors, queued
/// messages, ordering tables), and what stays behind once the process has gone (forward entries) or after all stays;
/// on the target, whether it can take them, and taking them.
/// </summary>
internal sealed class MailboxMigration<TLayout>(
    IkcTable<TLayout> table,
    PageAllocator pages,
    int node,
    MailboxQueue queue,
    MailboxOrdering ordering,
    MailboxForwards<TLayout> forwards,
    MailboxOutbox outbox,
    MailboxWaiters<TLayout> waiters,
    MailboxArrivals<TLayout> arrivals)
    where TLayout : struct, IProcessLayout
{
    private ref MailboxEntry Entry(int id) => ref table.At<MailboxEntry>(id);

    /// <summary>Why the mailboxes of <paramref name="pid"/> cannot move at this instant (a posted write still under way), or null.</summary>
    public string? Unsettled(int pid)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Output && entry.OwnerPid == pid && entry.Pending == AsyncOperation.Write && entry.PendingDone == 0)
            {
                return $"mailbox {entry.Descriptor} has a posted write under way";
            }
        }

        return null;
    }

    /// <summary>
    /// Copies the mailboxes of <paramref name="pid"/> out for a move to <paramref name="targetNode"/>: each descriptor,
    /// and for an input its queued messages and ordering table. From now until <see cref="LeaveBehind"/> or
    /// <see cref="StayAfterAll"/>, what arrives for its inputs is held.
    /// </summary>
    public List<MailboxImage> Capture(int pid, int targetNode)
    {
        var images = new List<MailboxImage>();
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind is not (MailboxKind.Input or MailboxKind.Output) || entry.OwnerPid != pid)
            {
                continue;
            }

            byte[] messages = [];
            byte[] expected = [];
            if (entry.Kind == MailboxKind.Input)
            {
                messages = new byte[entry.Count * KernelConstants.MailboxSlotBytes];
                for (int m = 0; m < entry.Count; m++)
                {
                    queue.At(entry, m).CopyTo(messages.AsSpan(m * KernelConstants.MailboxSlotBytes));
                }

                expected = ordering.Expected(entry.Ordering).ToArray();
                entry.RemoteNode = targetNode;
                entry.Carried = entry.Count;
            }

            images.Add(new MailboxImage(id, entry, messages, expected));
        }

        return images;
    }

    /// <summary>The move was called off: the inputs' readers take what came meanwhile (it was queued in turn).</summary>
    public void StayAfterAll(int pid, ulong now)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Input && entry.OwnerPid == pid && entry.RemoteNode >= 0)
            {
                entry.RemoteNode = -1;
                entry.Carried = 0;
                if (entry.Count > 0)
                {
                    waiters.WakeReader(id, now);
                }
            }
        }
    }

    /// <summary>
    /// The process moved: each input sends on what came after the messages the move carried (queued in turn, then
    /// those held ahead of their turn) and becomes a forward entry to the process's new node (keeping its stamp count);
    /// outputs are freed.
    /// </summary>
    public void LeaveBehind(int pid)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.OwnerPid != pid)
            {
                continue;
            }

            if (entry.Kind == MailboxKind.Output)
            {
                entry = default;
            }
            else if (entry.Kind == MailboxKind.Input)
            {
                int target = entry.RemoteNode;
                for (int m = entry.Carried; m < entry.Count; m++)
                {
                    outbox.SendOn(target, MailboxQueue.Framed(queue.At(entry, m)));
                }

                for (int i = 0; i < entry.Held; i++)
                {
                    outbox.SendOn(target, MailboxQueue.Framed(ordering.HeldSlot(entry, i)));
                }

                queue.Free(entry);
                ordering.Free(entry);
                forwards.BecomeForward(id, pid, target);
            }
        }
    }

    /// <summary>The node entries the mailboxes of <paramref name="pid"/> leave behind if it moves away: a forward per input.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            needed += Entry(id).Kind == MailboxKind.Input && Entry(id).OwnerPid == pid ? 1 : 0;
        }

        return needed;
    }

    /// <summary>How many of <paramref name="images"/> take an entry this node frees for them (a forward of their port).</summary>
    public int Reused(IReadOnlyList<MailboxImage> images)
    {
        int reused = 0;
        foreach (MailboxImage image in images)
        {
            reused += image.Entry.Kind == MailboxKind.Input && forwards.ForwardOf(image.Entry.Port) >= 0 ? 1 : 0;
        }

        return reused;
    }

    /// <summary>Why this node cannot take <paramref name="images"/> (a port taken, no kernel pages), or null; room in the table is asked of the table.</summary>
    public string? CannotAdopt(IReadOnlyList<MailboxImage> images)
    {
        int needed = 0;
        foreach (MailboxImage image in images)
        {
            if (image.Entry.Kind == MailboxKind.Input)
            {
                if (forwards.IsTaken(image.Entry.Port, image.Entry.OwnerPid, out _))
                {
                    return $"port {image.Entry.Port} of node {node} is taken";
                }

                needed += 2 + (image.Entry.Count / MailboxQueue.PageSlots);
            }
        }

        return pages.FreeCount < needed ? $"node {node} has not the {needed} kernel pages the mailbox queues need" : null;
    }

    /// <summary>
    /// Takes the mailboxes of a process that moved here (checked by <see cref="CannotAdopt"/>): the same descriptors,
    /// queues and ordering tables; an input takes over the stamp count of a forward entry this node kept for its port.
    /// Returns the new table index of each image, in order.
    /// </summary>
    public int[] Adopt(int slot, IReadOnlyList<MailboxImage> images)
    {
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            MailboxImage image = images[i];
            int forward = image.Entry.Kind == MailboxKind.Input ? forwards.ForwardOf(image.Entry.Port) : -1;

            // This node stamps the port's messages that reach it first from now on, counting from where the input
            // expects this node's stamps to be (the source's count is the source's: its stamps bear its node), or
            // from the count of the forward it left here, whose stamps may still be on their way to it.
            int stamp = image.Ordering.Length >= 2 * (node + 1) ? BinaryPrimitives.ReadUInt16LittleEndian(image.Ordering.AsSpan(2 * node)) : 0;
            stamp = forwards.TakeOver(forward, stamp);

            int id = table.Free(slot);
            indices[i] = id;
            ref MailboxEntry entry = ref Entry(id);
            entry = image.Entry;
            if (entry.Kind != MailboxKind.Input)
            {
                continue;
            }

            pages.TryAllocate(out uint buffer);
            pages.TryAllocate(out uint page);
            ordering.Clear(page);
            image.Ordering.CopyTo(ordering.Expected(page));
            entry.Buffer = buffer;
            entry.Tail = buffer;
            entry.Head = 0;
            entry.TailCount = 0;
            entry.Count = 0;
            entry.Held = 0;
            entry.Carried = 0;
            entry.Ordering = page;
            entry.NextStamp = stamp;
            entry.RemoteNode = -1;
            int received = entry.Received;
            for (int m = 0; m < image.Messages.Length / KernelConstants.MailboxSlotBytes; m++)
            {
                queue.Enqueue(ref entry, image.Messages.AsSpan(m * KernelConstants.MailboxSlotBytes, KernelConstants.MailboxSlotBytes));
            }

            entry.Received = received;
            arrivals.Claim(id);
        }

        return indices;
    }

    /// <summary>After the threads of a process that moved here are back: wake those whose input already has messages.</summary>
    public void Resume(int pid, ulong now)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Input && Entry(id).OwnerPid == pid && Entry(id).Count > 0)
            {
                waiters.WakeReader(id, now);
            }
        }
    }
}
