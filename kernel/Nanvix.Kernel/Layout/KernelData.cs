using Nanvix.Hal.Memory;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// The kernel-data region of a cluster as the kernel lays it out at boot, each part on its own cache line: the bitmap
/// of the user frames, the bitmap of the kernel pool's pages, the process table, then the per-process state where the
/// layout <typeparamref name="TLayout"/> plans it (cleared).
/// </summary>
public sealed class KernelData<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>The D$ line every part starts on.</summary>
    public const int CacheLine = 64;

    /// <exception cref="InvalidOperationException">The per-process state does not fit in the region.</exception>
    /// <param name="uareaGap">Bytes left between User Areas (UArea layout; whole cache lines).</param>
    public KernelData(ClusterMemory memory, string cluster, int uareaGap = 0)
    {
        ArgumentNullException.ThrowIfNull(memory);
        MemoryRegion data = memory.Map[MemoryRegionNames.KernelData];
        ulong cursor = data.Base;
        Memory = new KernelMemory(memory);
        Frames = new PageAllocator(Memory, memory.Map[MemoryRegionNames.User], cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(Frames.PageCount));
        KernelPages = new PageAllocator(Memory, memory.Map[MemoryRegionNames.KernelPool], cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(KernelPages.PageCount));
        Processes = new ProcessTable(Memory, cursor);
        cursor = AlignUp(cursor + (ulong)ProcessTable.Size);
        Plan = TLayout.Plan(cursor, KernelConstants.MaxProcesses, uareaGap);
        if (Plan.End > data.End)
        {
            throw new InvalidOperationException($"{cluster}: the per-process state needs kernel data up to 0x{Plan.End:x}, the region ends at 0x{data.End:x}");
        }

        memory.Bytes(cursor, checked((int)(Plan.End - cursor))).Clear();
        State = new KernelState<TLayout>(Memory, Plan);
    }

    /// <summary>The kernel's data accesses to the cluster's memory, counted in the serving core's D$.</summary>
    public KernelMemory Memory { get; }

    /// <summary>The user frames, their bitmap at the start of kernel data.</summary>
    public PageAllocator Frames { get; }

    /// <summary>The kernel pool's pages (page tables, kernel stacks, queues, staging).</summary>
    public PageAllocator KernelPages { get; }

    public ProcessTable Processes { get; }

    /// <summary>Where the per-process state lives.</summary>
    public KernelDataPlan Plan { get; }

    /// <summary>The kernel's access to the per-process state.</summary>
    public KernelState<TLayout> State { get; }

    private static ulong AlignUp(ulong value) => (value + CacheLine - 1) & ~(ulong)(CacheLine - 1);
}
