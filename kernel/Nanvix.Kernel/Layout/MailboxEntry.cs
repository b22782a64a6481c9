using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// A virtual mailbox of the cluster, the mailbox view of an <see cref="IkcEntry"/> (its first three words are the entry's): Nanvix multiplexes many of them, by port, over the one hardware mailbox of
/// each NoC node. An input keeps its queued messages in a chain of kernel pages (31 slots of 128 bytes each, the
/// last slot's first word linking to the next page), growing while the kernel pool lasts. The number the process
/// knows a descriptor by (<see cref="Descriptor"/>) is its own, not the table index, so that it stays the same when
/// the process moves to another cluster.
/// </summary>
[KernelStruct(80)]
[StructLayout(LayoutKind.Explicit, Size = 80)]
public struct MailboxEntry : IIkcDescriptor
{
    [FieldOffset(0)] public MailboxKind Kind;

    /// <summary>Process that owns the descriptor.</summary>
    [FieldOffset(4)] public int OwnerPid;

    /// <summary>The number the owner process knows this descriptor by (unique among its descriptors).</summary>
    [FieldOffset(8)] public int Descriptor;

    /// <summary>Input: the local port. Output: the remote port.</summary>
    [FieldOffset(12)] public int Port;

    /// <summary>Output: the remote NoC node.</summary>
    [FieldOffset(16)] public int RemoteNode;

    /// <summary>Input: physical address of the first kernel page of the queue (the oldest messages).</summary>
    [FieldOffset(20)] public uint Buffer;

    /// <summary>Input: slot of the oldest message in the first page.</summary>
    [FieldOffset(24)] public int Head;

    /// <summary>Input: messages queued, over all the queue's pages.</summary>
    [FieldOffset(28)] public int Count;

    /// <summary>Messages received for this input since it was created.</summary>
    [FieldOffset(32)] public int Received;

    /// <summary>
    /// Output: messages sent through it since it was opened. Input: while its process is frozen for a move, the
    /// messages queued at the freeze, which the move carries (those after them came during the move).
    /// </summary>
    [FieldOffset(36)] public int Sent;

    /// <inheritdoc cref="Sent"/>
    [FieldOffset(36)] public int Carried;

    /// <summary>Input: physical address of the last kernel page of the queue, where new messages go.</summary>
    [FieldOffset(40)] public uint Tail;

    /// <summary>An asynchronous read or write posted on this descriptor and not yet waited for.</summary>
    [FieldOffset(44)] public AsyncOperation Pending;

    /// <summary>User buffer of the pending operation.</summary>
    [FieldOffset(48)] public uint PendingBuffer;

    [FieldOffset(52)] public int PendingSize;

    /// <summary>1 once the pending operation has completed; <see cref="PendingResult"/> then holds its result.</summary>
    [FieldOffset(56)] public int PendingDone;

    [FieldOffset(60)] public int PendingResult;

    /// <summary>Input: slots used in the last page.</summary>
    [FieldOffset(64)] public int TailCount;

    /// <summary>
    /// Input or forward: the next stamp this node gives to a message for the port that reaches a kernel here first
    /// (the stamps of one ingress node count up, so the input can put messages that took different routes back in order).
    /// </summary>
    [FieldOffset(68)] public int NextStamp;

    /// <summary>
    /// Input: physical address of its ordering page: the next stamp it expects from each ingress node (2 bytes a node),
    /// then the messages that came ahead of their turn (or while the process was moving), held until their turn.
    /// </summary>
    [FieldOffset(72)] public uint Ordering;

    /// <summary>Input: messages held in the ordering page.</summary>
    [FieldOffset(76)] public int Held;

    static int IIkcDescriptor.Family => IkcEntry.MailboxFamily;

    /// <summary>An input or an output (a forward entry is no descriptor: its process lives elsewhere).</summary>
    readonly bool IIkcDescriptor.IsDescriptor => Kind is MailboxKind.Input or MailboxKind.Output;

    readonly int IIkcDescriptor.OwnerPid => OwnerPid;

    readonly int IIkcDescriptor.Descriptor => Descriptor;
}
