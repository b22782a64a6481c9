using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// A sync point descriptor of the cluster, the sync view of an <see cref="IkcEntry"/> in the IKC descriptor table. The hardware matches signals by
/// node, so a sync point stays where it was made: its endpoint lives at <see cref="Home"/>, the node that plays its role
/// in the node list, for as long as it is open. When its process moves, the entry it leaves at home becomes a relay
/// (<see cref="Where"/>: the node the process is at now), which sends the releases it sees to the process and signals
/// for it when asked; the process's own entry travels with it (the releases not yet waited for in
/// <see cref="Releases"/>), and an entry it leaves elsewhere becomes a forward that sends releases on.
/// </summary>
[KernelStruct(112)]
[StructLayout(LayoutKind.Explicit, Size = 112)]
public struct SyncEntry : IIkcDescriptor
{
    /// <summary>Most nodes in a sync point.</summary>
    public const int MaxNodes = 32;

    /// <summary><see cref="Input"/> (waits) or <see cref="Output"/> (signals); 0 for a free entry.</summary>
    [FieldOffset(0)] public int Kind;

    [FieldOffset(4)] public int OwnerPid;

    /// <summary>The number the owner process knows this sync point by (unique among its sync points).</summary>
    [FieldOffset(8)] public int Descriptor;

    /// <summary>0 one-to-all, 1 all-to-one.</summary>
    [FieldOffset(12)] public int Mode;

    [FieldOffset(16)] public int Count;

    /// <summary>The node whose hardware endpoint this sync point is: where it was made.</summary>
    [FieldOffset(20)] public int Home;

    /// <summary>-1 while the owner process is on this node; else the node it is at now (a relay or a forward).</summary>
    [FieldOffset(24)] public int Where;

    /// <summary>Input: releases that reached the process and that it has not waited for yet.</summary>
    [FieldOffset(28)] public int Releases;

    /// <summary>While the owner is frozen for a move: the releases the move carries (those after came during the move).</summary>
    [FieldOffset(32)] public int Carried;

    /// <summary>Relay: the number of the owner's move that <see cref="Where"/> comes from (notices of the owner's moves may cross).</summary>
    [FieldOffset(36)] public int WhereMove;

    /// <summary>At home: which of the node's HAL endpoints is this sync point's (the kernel keeps them beside the table).</summary>
    [FieldOffset(40)] public int Handle;

    [FieldOffset(44)] public int Reserved;

    /// <summary>The node list, as the program gave it (its first <see cref="Count"/> entries).</summary>
    [FieldOffset(48)] public SyncNodes Nodes;

    public const int Input = (IkcEntry.SyncFamily << 3) | 1;

    public const int Output = (IkcEntry.SyncFamily << 3) | 2;

    static int IIkcDescriptor.Family => IkcEntry.SyncFamily;

    /// <summary>The process's own entry, or a relay or forward it left here: its number finds them all (home and the way are told by number).</summary>
    readonly bool IIkcDescriptor.IsDescriptor => Kind != 0;

    readonly int IIkcDescriptor.OwnerPid => OwnerPid;

    readonly int IIkcDescriptor.Descriptor => Descriptor;
}
