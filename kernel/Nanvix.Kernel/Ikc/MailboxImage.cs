using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// One mailbox descriptor of a process on its way to another cluster: the entry as the source kept it (at table index
/// <paramref name="Index"/>), and for an input its queued messages (128-byte slots, oldest first) and its ordering
/// table (the next stamp it expects from each ingress node).
/// </summary>
public sealed record MailboxImage(int Index, MailboxEntry Entry, byte[] Messages, byte[] Ordering)
{
    /// <summary>Bytes this descriptor adds to the move: the entry, the messages and the ordering table.</summary>
    public int Bytes => System.Runtime.CompilerServices.Unsafe.SizeOf<MailboxEntry>() + Messages.Length + Ordering.Length;
}
