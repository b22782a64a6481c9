using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// One entry of the cluster's IKC descriptor table, the one table mailboxes, portals and sync points share (as Nanvix's
/// communicator layer is shared by its three kinds): 128 bytes whose first three words say what the entry is, who owns
/// it and by which number. The rest is the kind's own: <see cref="MailboxEntry"/>, <see cref="PortalEntry"/> and
/// <see cref="SyncEntry"/> are views of an entry, each beginning with these three words. The layout places the table
/// (<see cref="IkcTable{TLayout}"/>): with the UArea, each process's entries are in its User Area and a short table of
/// node entries holds what moved processes left behind; with Scattered, all entries are in one global table.
/// </summary>
[KernelStruct(Size)]
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct IkcEntry
{
    /// <summary>Bytes of an entry: room for the largest kind's view.</summary>
    public const int Size = 128;

    /// <summary>What the entry is: 0 free, else the kind's family (<see cref="FamilyOf"/>) and its role in that family.</summary>
    [FieldOffset(0)] public int Kind;

    /// <summary>Process that owns the descriptor (or that left the forward or relay here).</summary>
    [FieldOffset(4)] public int OwnerPid;

    /// <summary>The number the owner process knows the descriptor by (unique among its descriptors of the kind).</summary>
    [FieldOffset(8)] public int Descriptor;

    [FieldOffset(120)] public long Reserved;

    /// <summary>Kinds 1..7: mailboxes.</summary>
    public const int MailboxFamily = 0;

    /// <summary>Kinds 9..15: portals.</summary>
    public const int PortalFamily = 1;

    /// <summary>Kinds 17..23: sync points.</summary>
    public const int SyncFamily = 2;

    /// <summary>The family of a kind that is not 0.</summary>
    public static int FamilyOf(int kind) => kind >> 3;

    /// <summary>Kind <paramref name="role"/> (1..7) of <paramref name="family"/>.</summary>
    public static int KindOf(int family, int role) => (family << 3) | role;
}
