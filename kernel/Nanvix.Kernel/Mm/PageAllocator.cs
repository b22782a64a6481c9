using Nanvix.Hal.Memory;

namespace Nanvix.Kernel.Mm;

/// <summary>
/// Allocates 4 KB pages of one region of cluster memory (user frames, or kernel pages). The bitmap that says which
/// pages are taken lives in cluster memory itself, in the kernel-data region, so the allocator's state is part of
/// the cluster's memory image; this object only knows where. Pages are handed out zeroed, lowest address first, so
/// runs are deterministic. The scan for a free page reads the bitmap up to the byte it finds one in, and a handed-out
/// page is zeroed with stores: both counted in the serving core's D$ (<see cref="KernelMemory"/>).
/// </summary>
public sealed class PageAllocator
{
    private readonly KernelMemory _kernel;
    private readonly ClusterMemory _memory;
    private readonly ulong _bitmap;
    private readonly uint _firstPage;
    private readonly KernelPath _allocatePath;
    private readonly KernelPath _freePath;

    /// <param name="memory">The cluster's memory.</param>
    /// <param name="region">The region whose pages this allocator hands out.</param>
    /// <param name="bitmapOffset">Where the bitmap lives (ceil(pages / 8) bytes, in the kernel-data region).</param>
    public PageAllocator(KernelMemory memory, MemoryRegion region, ulong bitmapOffset)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _kernel = memory;
        _memory = memory.Memory;
        _bitmap = bitmapOffset;
        _firstPage = region.Base;
        Region = region;
        bool pool = region.Name == MemoryRegionNames.KernelPool;
        _allocatePath = pool ? KernelPath.KernelPageAlloc : KernelPath.FrameAlloc;
        _freePath = pool ? KernelPath.KernelPageFree : KernelPath.FrameFree;
        PageCount = (int)(region.Size / KernelConstants.PageSize);
        _memory.Bytes(bitmapOffset, BitmapBytes(PageCount)).Clear();
    }

    public MemoryRegion Region { get; }

    public int PageCount { get; }

    /// <summary>Pages not allocated.</summary>
    public int FreeCount
    {
        get
        {
            int used = 0;
            foreach (byte b in _memory.Bytes(_bitmap, BitmapBytes(PageCount)))
            {
                used += System.Numerics.BitOperations.PopCount(b);
            }

            return PageCount - used;
        }
    }

    /// <summary>Bytes of bitmap for <paramref name="pages"/> pages.</summary>
    public static int BitmapBytes(int pages) => (pages + 7) / 8;

    /// <summary>Takes the lowest free page, zeroes it, and returns its physical address; false when none is free.</summary>
    public bool TryAllocate(out uint address) => TryAllocate(out address, zero: true);

    /// <summary>
    /// As <see cref="TryAllocate(out uint)"/>; with <paramref name="zero"/> false the page keeps what it held, for a
    /// caller that overwrites all of it before anyone reads it (a migrated page, landing from the NoC).
    /// </summary>
    public bool TryAllocate(out uint address, bool zero)
    {
        _kernel.Execute(_allocatePath);
        Span<byte> bits = _memory.Bytes(_bitmap, BitmapBytes(PageCount));
        for (int i = 0; i < PageCount; i++)
        {
            if ((bits[i >> 3] & (1 << (i & 7))) == 0)
            {
                _kernel.Load(_bitmap, (i >> 3) + 1, KernelStructure.PageBitmaps);
                _kernel.Store(_bitmap + (ulong)(i >> 3), 1, KernelStructure.PageBitmaps);
                bits[i >> 3] |= (byte)(1 << (i & 7));
                address = _firstPage + ((uint)i * KernelConstants.PageSize);
                if (zero)
                {
                    _kernel.Execute(KernelPath.PageZero);
                    _kernel.Clear(address, (int)KernelConstants.PageSize, KernelStructure.PageZeroing);
                }

                return true;
            }
        }

        _kernel.Load(_bitmap, bits.Length, KernelStructure.PageBitmaps);
        address = 0;
        return false;
    }

    /// <summary>True when <paramref name="address"/> is a page of this allocator's region.</summary>
    public bool Owns(uint address) => Region.Contains(address, KernelConstants.PageSize) && (address - _firstPage) % KernelConstants.PageSize == 0;

    /// <summary>Returns a page. Freeing a page twice, or one this allocator does not own, is a kernel bug and throws.</summary>
    public void Free(uint address)
    {
        if (!Owns(address))
        {
            throw new InvalidOperationException($"{_memory.Owner}: kernel bug: freeing 0x{address:x}, not a page of region '{Region.Name}'");
        }

        int i = (int)((address - _firstPage) / KernelConstants.PageSize);
        Span<byte> bits = _memory.Bytes(_bitmap, BitmapBytes(PageCount));
        if ((bits[i >> 3] & (1 << (i & 7))) == 0)
        {
            throw new InvalidOperationException($"{_memory.Owner}: kernel bug: page 0x{address:x} of region '{Region.Name}' freed twice");
        }

        _kernel.Execute(_freePath);
        _kernel.Update(_bitmap + (ulong)(i >> 3), 1, KernelStructure.PageBitmaps);
        bits[i >> 3] &= (byte)~(1 << (i & 7));
    }
}
