using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// A virtual portal of the cluster, the portal view of an <see cref="IkcEntry"/> in the IKC descriptor table: who owns it, what it pairs with, and the asynchronous operation posted on it. A move carries
/// the entries of the process as they are. The number the process knows a descriptor by (<see cref="Descriptor"/>)
/// is its own, not the table index, so that it stays the same when the process moves.
/// </summary>
[KernelStruct(64)]
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct PortalEntry : IIkcDescriptor
{
    /// <summary><see cref="Input"/> (reads) or <see cref="Output"/> (writes); 0 for a free entry.</summary>
    [FieldOffset(0)] public int Kind;

    /// <summary>Process that owns the descriptor.</summary>
    [FieldOffset(4)] public int OwnerPid;

    /// <summary>The number the owner process knows this descriptor by (unique among its portals).</summary>
    [FieldOffset(8)] public int Descriptor;

    /// <summary>Input: the local port. Output: the remote port.</summary>
    [FieldOffset(12)] public int Port;

    /// <summary>Input: the node it allows (-1 before <c>portal_allow</c>). Output: the node it writes to.</summary>
    [FieldOffset(16)] public int Remote;

    /// <summary>The process at <see cref="Remote"/> this portal followed when that process moved (0 until one did).</summary>
    [FieldOffset(20)] public int PeerPid;

    /// <summary>The number of the last move of <see cref="PeerPid"/> this portal followed (a notice may come twice, or late).</summary>
    [FieldOffset(24)] public int PeerMove;

    /// <summary>An asynchronous read or write posted on this descriptor and not yet waited for.</summary>
    [FieldOffset(28)] public AsyncOperation Pending;

    /// <summary>User buffer of the pending operation.</summary>
    [FieldOffset(32)] public uint PendingBuffer;

    [FieldOffset(36)] public int PendingSize;

    /// <summary>1 once the pending operation is on the hardware (a read armed, a write posted).</summary>
    [FieldOffset(40)] public int PendingStarted;

    /// <summary>1 once the pending operation has completed; <see cref="PendingResult"/> then holds its result.</summary>
    [FieldOffset(44)] public int PendingDone;

    [FieldOffset(48)] public int PendingResult;

    [FieldOffset(52)] public int Reserved0;

    [FieldOffset(56)] public long Reserved1;

    public const int Input = (IkcEntry.PortalFamily << 3) | 1;

    public const int Output = (IkcEntry.PortalFamily << 3) | 2;

    /// <summary>
    /// What an input a process had here leaves when the process moves away: <see cref="Remote"/> is the node it read
    /// from, whose writes to this node the hardware would match with any read here that allows that node. While the
    /// process lives, no other process here may allow that node (see docs/migration.md).
    /// </summary>
    public const int LeftInput = (IkcEntry.PortalFamily << 3) | 3;

    /// <summary>What an output leaves: no other process here may write to <see cref="Remote"/> while the process lives.</summary>
    public const int LeftOutput = (IkcEntry.PortalFamily << 3) | 4;

    /// <summary>What a portal of <paramref name="kind"/> leaves when its process moves away.</summary>
    public static int LeftBy(int kind) => kind == Input ? LeftInput : LeftOutput;

    /// <summary>True for a process's own portal (an input or an output), not what one left behind.</summary>
    public readonly bool IsLive => Kind is Input or Output;

    static int IIkcDescriptor.Family => IkcEntry.PortalFamily;

    readonly bool IIkcDescriptor.IsDescriptor => Kind is Input or Output;

    readonly int IIkcDescriptor.OwnerPid => OwnerPid;

    readonly int IIkcDescriptor.Descriptor => Descriptor;
}
