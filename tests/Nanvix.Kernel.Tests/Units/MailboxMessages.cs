using System.Buffers.Binary;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>Mailbox inputs and messages for the unit tests of the mailbox queue and ordering pages.</summary>
internal static class MailboxMessages
{
    public const int Slot = KernelConstants.MailboxSlotBytes;

    public const int Header = KernelConstants.MailboxHeaderBytes;

    /// <summary>
    /// An input as the kernel creates one (<c>Mailboxes.Create</c>): one queue page and an ordering page, both from
    /// the kernel pool of <paramref name="rig"/>, the ordering page cleared.
    /// </summary>
    public static MailboxEntry NewInput(KernelDataRig rig, int port = 5)
    {
        Assert.True(rig.KernelPages.TryAllocate(out uint buffer));
        Assert.True(rig.KernelPages.TryAllocate(out uint ordering));
        return new MailboxEntry
        {
            Kind = MailboxKind.Input,
            Port = port,
            RemoteNode = -1,
            Buffer = buffer,
            Tail = buffer,
            Ordering = ordering,
        };
    }

    /// <summary>An unstamped message <paramref name="n"/> of <paramref name="length"/> payload bytes (each byte tells the message and its place).</summary>
    public static byte[] Message(int n, int length = 24, int port = 5, int source = 2)
    {
        var message = new byte[Header + length];
        MailboxHeader.Write(message, length, port, source);
        for (int i = 0; i < length; i++)
        {
            message[Header + i] = (byte)((n * 31) + i + 1);
        }

        return message;
    }

    /// <summary>Message <paramref name="n"/> as stamped by <paramref name="ingress"/> with <paramref name="stamp"/>.</summary>
    public static byte[] Stamped(int ingress, int stamp, int n, int length = 24)
    {
        byte[] message = Message(n, length);
        message[3] = (byte)(ingress + 1);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), (ushort)stamp);
        return message;
    }

    /// <summary>The stamp in the header of <paramref name="message"/>.</summary>
    public static int StampOf(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);

    /// <summary>The message a queue slot holds, cut to its header and payload.</summary>
    public static byte[] Framed(ReadOnlySpan<byte> slot) => MailboxQueue.Framed(slot).ToArray();
}

/// <summary>An ordering over the queue it queues into, on node <c>node</c>, as <c>Mailboxes</c> builds them.</summary>
internal sealed class MailboxParts
{
    public MailboxParts(KernelDataRig rig, int node)
    {
        Queue = new MailboxQueue(rig.Memory, rig.KernelPages);
        Ordering = new MailboxOrdering(rig.Memory, rig.KernelPages, Queue, node);
    }

    public MailboxQueue Queue { get; }

    public MailboxOrdering Ordering { get; }

    /// <summary>Reads the whole queue of <paramref name="entry"/>, oldest first, framed.</summary>
    public List<byte[]> Queued(ref MailboxEntry entry)
    {
        var messages = new List<byte[]>();
        while (entry.Count > 0)
        {
            messages.Add(MailboxMessages.Framed(Queue.Oldest(entry)));
            Queue.Dequeue(ref entry);
        }

        return messages;
    }
}
