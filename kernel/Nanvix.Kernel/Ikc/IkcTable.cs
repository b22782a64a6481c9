using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The cluster's one IKC descriptor table (<see cref="IkcEntry"/>), shared by mailboxes, portals and sync points, as the
/// layout places it. Entries are numbered 0..<see cref="Count"/>−1; the layout maps a number to its address
/// (<see cref="IProcessLayout.IkcDescriptor"/>):
/// <list type="bullet">
/// <item>UArea: entries <c>p·16 .. p·16+15</c> are the <see cref="IkcArea"/> in the User Area of process slot <c>p</c>;
/// the last <see cref="KernelConstants.IkcNodeEntries"/> are the node's own table, for what a process that moved away
/// left here (mailbox forwards, sync relays and forwards). A move carries a process's descriptors with its User Area's
/// other state; what it leaves behind is moved into the node entries (<see cref="ForNode"/>).</item>
/// <item>Scattered: one global table; a process's descriptors take the first free entries, among other processes'
/// entries, and what a process leaves behind stays where it is.</item>
/// </list>
/// What every kind does with the table is here: find a free entry, iterate the entries of a kind, find a process's
/// descriptor by its number, give a process the lowest number it does not use. A descriptor's number is the process's
/// own, kept in the entry, not the entry's number, so that it survives a move. Each look at an entry counts as a read
/// of it in the serving core's D$ (<see cref="KernelStructure.IkcDescriptors"/>): a scan of the table costs what it touches.
/// </summary>
internal sealed class IkcTable<TLayout>
    where TLayout : struct, IProcessLayout
{
    private const int PerProcess = KernelConstants.IkcDescriptorsPerProcess;

    private readonly KernelMemory _memory;
    private readonly KernelDataPlan _plan;

    public IkcTable(KernelMemory memory, KernelDataPlan plan)
    {
        _memory = memory;
        _plan = plan;
        Count = plan.IkcEntries;
    }

    /// <summary>Entries of the table, every process's and the node's.</summary>
    public int Count { get; }

    /// <summary>True when what a process leaves behind has to move out of its entries (into the node's).</summary>
    private static bool SeparatesNodeEntries => TLayout.Kind == ProcessLayoutKind.UArea;

    /// <summary>First of the node's own entries (UArea); 0 under Scattered, where every entry may be one.</summary>
    private int NodeStart => SeparatesNodeEntries ? _plan.IkcProcesses * PerProcess : 0;

    /// <summary>Entry <paramref name="id"/> seen as its kind's view.</summary>
    [KernelHotPath]
    public ref T At<T>(int id)
        where T : unmanaged, IIkcDescriptor => ref _memory.At<T>(TLayout.IkcDescriptor(_plan, id), KernelStructure.IkcDescriptors);

    /// <summary>Entry <paramref name="id"/> as the table sees it.</summary>
    [KernelHotPath]
    public ref IkcEntry Entry(int id) => ref _memory.At<IkcEntry>(TLayout.IkcDescriptor(_plan, id), KernelStructure.IkcDescriptors);

    [KernelHotPath]
    public bool IsFree(int id) => Entry(id).Kind == 0;

    /// <summary>True when entry <paramref name="id"/> is in use by kind <typeparamref name="T"/>.</summary>
    [KernelHotPath]
    public bool Is<T>(int id)
        where T : unmanaged, IIkcDescriptor
    {
        int kind = Entry(id).Kind;
        return kind != 0 && IkcEntry.FamilyOf(kind) == T.Family;
    }

    /// <summary>The first entry after <paramref name="after"/> in use by kind <typeparamref name="T"/>, or -1 (−1 starts from the first).</summary>
    [KernelHotPath]
    public int Next<T>(int after)
        where T : unmanaged, IIkcDescriptor
    {
        for (int id = after + 1; id < Count; id++)
        {
            if (Is<T>(id))
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>The first entry in use by kind <typeparamref name="T"/>, or -1.</summary>
    [KernelHotPath]
    public int First<T>()
        where T : unmanaged, IIkcDescriptor => Next<T>(-1);

    /// <summary>A free entry for a descriptor of the process in slot <paramref name="slot"/>, or -1.</summary>
    public int Free(int slot)
    {
        (int start, int end) = Descriptors(slot);
        for (int id = start; id < end; id++)
        {
            if (IsFree(id))
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>Free entries for descriptors of the process in slot <paramref name="slot"/>.</summary>
    public int FreeCount(int slot)
    {
        (int start, int end) = Descriptors(slot);
        int free = 0;
        for (int id = start; id < end; id++)
        {
            free += IsFree(id) ? 1 : 0;
        }

        return free;
    }

    /// <summary>
    /// Free node entries for what a process leaves behind when it moves away (UArea); under Scattered it stays in its
    /// own entries and needs none, so every need is met.
    /// </summary>
    public bool HasNodeRoom(int entries)
    {
        if (!SeparatesNodeEntries)
        {
            return true;
        }

        for (int id = NodeStart; id < Count && entries > 0; id++)
        {
            entries -= IsFree(id) ? 1 : 0;
        }

        return entries <= 0;
    }

    /// <summary>
    /// Entry <paramref name="id"/>, which its process leaves behind as it moves away, where the node keeps it: the same
    /// entry under Scattered; under UArea a node entry it is copied to (the old one freed). -1 when no node entry is free
    /// (<see cref="HasNodeRoom"/> is asked before a move starts).
    /// </summary>
    public int ForNode(int id)
    {
        if (!SeparatesNodeEntries || id >= NodeStart)
        {
            return id;
        }

        for (int to = NodeStart; to < Count; to++)
        {
            if (IsFree(to))
            {
                Entry(to) = Entry(id);
                Entry(id) = default;
                return to;
            }
        }

        return -1;
    }

    /// <summary>
    /// Entry <paramref name="id"/> (a forward or relay the process left here) made the process's own again, now that it
    /// is back in slot <paramref name="slot"/>: under UArea copied into its User Area (the node entry freed); the same
    /// entry under Scattered. -1 when the process has no free entry.
    /// </summary>
    public int ForProcess(int id, int slot)
    {
        (int start, int end) = Descriptors(slot);
        if (id >= start && id < end)
        {
            return id;
        }

        int to = Free(slot);
        if (to >= 0)
        {
            Entry(to) = Entry(id);
            Entry(id) = default;
        }

        return to;
    }

    /// <summary>The entry of descriptor <paramref name="descriptor"/> of kind <typeparamref name="T"/> of process <paramref name="pid"/>, or -1.</summary>
    [KernelHotPath]
    public int Find<T>(int pid, int descriptor)
        where T : unmanaged, IIkcDescriptor
    {
        for (int id = 0; pid != 0 && id < Count; id++)
        {
            if (Is<T>(id))
            {
                ref T entry = ref At<T>(id);
                if (entry.IsDescriptor && entry.OwnerPid == pid && entry.Descriptor == descriptor)
                {
                    return id;
                }
            }
        }

        return -1;
    }

    /// <summary>The lowest number of kind <typeparamref name="T"/> process <paramref name="pid"/> does not use yet.</summary>
    public int NewDescriptor<T>(int pid)
        where T : unmanaged, IIkcDescriptor
    {
        for (int descriptor = 0; ; descriptor++)
        {
            if (Find<T>(pid, descriptor) < 0)
            {
                return descriptor;
            }
        }
    }

    /// <summary>The entries a process in slot <paramref name="slot"/> takes its descriptors from.</summary>
    private (int Start, int End) Descriptors(int slot) =>
        SeparatesNodeEntries ? (slot * PerProcess, (slot + 1) * PerProcess) : (0, Count);
}
