using Nanvix.Arch.Mmu;

namespace Nanvix.Kernel.Mm;

/// <summary>
/// A user address space: Sv32 two-level page tables whose pages come from the kernel pool, mapping user frames.
/// The tables live in cluster memory, where the cores' MMUs walk them; this object holds only the root's address.
/// Leaf PTEs are made with A set (and D set on writable pages), so the cores never need to write them back. The
/// kernel's own reads and writes of the tables count in the serving core's D$ (<see cref="KernelStructure.PageTables"/>).
/// </summary>
public sealed class AddressSpace
{
    private const uint Valid = Sv32.V;
    private const uint User = Sv32.U;

    private readonly KernelMemory _memory;
    private readonly PageAllocator _kernelPages;
    private readonly PageAllocator _frames;

    private AddressSpace(KernelMemory memory, PageAllocator kernelPages, PageAllocator frames, uint root)
    {
        _memory = memory;
        _kernelPages = kernelPages;
        _frames = frames;
        Root = root;
    }

    /// <summary>Physical address of the root page table.</summary>
    public uint Root { get; }

    /// <summary>Physical page number of the root, for the MMU.</summary>
    public uint RootPage => Root / KernelConstants.PageSize;

    /// <summary>A new, empty address space; null when the kernel pool has no page for its root.</summary>
    public static AddressSpace? Create(KernelMemory memory, PageAllocator kernelPages, PageAllocator frames)
    {
        return kernelPages.TryAllocate(out uint root) ? new AddressSpace(memory, kernelPages, frames, root) : null;
    }

    /// <summary>True when <paramref name="virtualPage"/> (a page-aligned address) is mapped.</summary>
    public bool IsMapped(uint virtualPage) => TryLeaf(virtualPage, out _);

    /// <summary>
    /// Maps a fresh frame at <paramref name="virtualPage"/> (a page-aligned address), zeroed unless
    /// <paramref name="zero"/> is false (its contents are about to land). A page that is mapped already is left as it
    /// is, frame and permissions (<see cref="MapResult.AlreadyMapped"/>): permissions are only ever narrowed
    /// (<see cref="Restrict"/>), never widened. A page of the null page, a guard page or the kernel's half is refused
    /// (<see cref="MapResult.Reserved"/>). On <see cref="MapResult.NoMemory"/> nothing half-made stays mapped there.
    /// </summary>
    public MapResult MapNew(uint virtualPage, PagePermissions permissions, bool zero = true)
    {
        if (UserAddressMap.IsReservedPage(virtualPage))
        {
            return MapResult.Reserved;
        }

        _memory.Execute(KernelPath.PageMap);
        if (TryLeafSlot(virtualPage, create: true, out ulong slot) is false)
        {
            return MapResult.NoMemory;
        }

        if ((_memory.Read<uint>(slot, KernelStructure.PageTables) & Valid) != 0)
        {
            return MapResult.AlreadyMapped;
        }

        if (!_frames.TryAllocate(out uint frame, zero))
        {
            return MapResult.NoMemory;
        }

        _memory.Write(slot, Sv32.Pte(frame / KernelConstants.PageSize, LeafFlags(permissions)), KernelStructure.PageTables);
        return MapResult.Mapped;
    }

    /// <summary>
    /// Maps fresh zeroed frames at every page of [<paramref name="start"/>, <paramref name="end"/>) (page-aligned), or
    /// none: when one page cannot be mapped (<see cref="MapNew"/> says why), the pages this call mapped are unmapped
    /// again and pages that were there before stay untouched.
    /// </summary>
    public MapResult MapRange(uint start, uint end, PagePermissions permissions)
    {
        for (uint page = start; page < end; page += KernelConstants.PageSize)
        {
            MapResult result = MapNew(page, permissions);
            if (result != MapResult.Mapped)
            {
                for (uint undo = start; undo < page; undo += KernelConstants.PageSize)
                {
                    Unmap(undo);
                }

                return result;
            }
        }

        return MapResult.Mapped;
    }

    /// <summary>Takes <paramref name="removed"/> away from the permissions of a mapped page.</summary>
    public void Restrict(uint virtualPage, PagePermissions removed)
    {
        if (TryLeafSlot(virtualPage, create: false, out ulong slot))
        {
            uint pte = _memory.Read<uint>(slot, KernelStructure.PageTables);
            if ((pte & Valid) != 0)
            {
                pte &= ~(uint)removed;
                if ((removed & PagePermissions.Write) != 0)
                {
                    pte &= ~Sv32.D;
                }

                _memory.Write(slot, pte, KernelStructure.PageTables);
            }
        }
    }

    /// <summary>Unmaps <paramref name="virtualPage"/> and frees its frame; nothing happens if it is not mapped.</summary>
    public void Unmap(uint virtualPage)
    {
        if (TryLeafSlot(virtualPage, create: false, out ulong slot))
        {
            uint pte = _memory.Read<uint>(slot, KernelStructure.PageTables);
            if ((pte & Valid) != 0)
            {
                _frames.Free(Sv32.PageNumberOf(pte) * KernelConstants.PageSize);
                _memory.Write(slot, 0u, KernelStructure.PageTables);
            }
        }
    }

    /// <summary>
    /// The physical address of <paramref name="address"/> if user code may access it with <paramref name="needed"/>;
    /// false otherwise (the kernel answers EFAULT).
    /// </summary>
    public bool TryTranslate(uint address, PagePermissions needed, out uint physical)
    {
        if (TryLeaf(address & ~(KernelConstants.PageSize - 1), out uint pte) && (pte & (uint)needed) == (uint)needed)
        {
            physical = (Sv32.PageNumberOf(pte) * KernelConstants.PageSize) + (address & (KernelConstants.PageSize - 1));
            return true;
        }

        physical = 0;
        return false;
    }

    /// <summary>Every mapped page: its virtual address, the physical frame behind it and its permissions, in address order.</summary>
    public List<(uint Virtual, uint Frame, PagePermissions Permissions)> Mappings()
    {
        var pages = new List<(uint, uint, PagePermissions)>();
        ReadOnlySpan<uint> directory = Table(Root);
        for (uint i = 0; i < directory.Length; i++)
        {
            if ((directory[(int)i] & Valid) == 0)
            {
                continue;
            }

            ReadOnlySpan<uint> table = Table(Sv32.PageNumberOf(directory[(int)i]) * KernelConstants.PageSize);
            for (uint j = 0; j < table.Length; j++)
            {
                uint pte = table[(int)j];
                if ((pte & Valid) != 0)
                {
                    var permissions = (PagePermissions)(pte & (uint)(PagePermissions.Read | PagePermissions.Write | PagePermissions.Execute));
                    pages.Add(((i << 22) | (j << 12), Sv32.PageNumberOf(pte) * KernelConstants.PageSize, permissions));
                }
            }
        }

        return pages;
    }

    /// <summary>The 1 024 entries of the page-table page at <paramref name="page"/>, read with one bounds check (counted as a read of the whole page).</summary>
    private ReadOnlySpan<uint> Table(uint page)
    {
        _memory.Load(page, (int)KernelConstants.PageSize, KernelStructure.PageTables);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(_memory.Memory.Bytes(page, (int)KernelConstants.PageSize));
    }

    public void Destroy()
    {
        ReadOnlySpan<uint> directory = Table(Root);
        for (int i = 0; i < directory.Length; i++)
        {
            if ((directory[i] & Valid) == 0)
            {
                continue;
            }

            uint page = Sv32.PageNumberOf(directory[i]) * KernelConstants.PageSize;
            foreach (uint pte in Table(page))
            {
                if ((pte & Valid) != 0)
                {
                    _frames.Free(Sv32.PageNumberOf(pte) * KernelConstants.PageSize);
                }
            }

            _kernelPages.Free(page);
        }

        _kernelPages.Free(Root);
    }

    private static uint LeafFlags(PagePermissions permissions)
    {
        uint flags = Valid | User | Sv32.A | (uint)permissions;
        return (permissions & PagePermissions.Write) != 0 ? flags | Sv32.D : flags;
    }

    private bool TryLeaf(uint virtualPage, out uint pte)
    {
        if (TryLeafSlot(virtualPage, create: false, out ulong slot))
        {
            pte = _memory.Read<uint>(slot, KernelStructure.PageTables);
            return (pte & Valid) != 0;
        }

        pte = 0;
        return false;
    }

    /// <summary>Where the leaf PTE of <paramref name="virtualPage"/> lives, making the second-level table if asked.</summary>
    private bool TryLeafSlot(uint virtualPage, bool create, out ulong slot)
    {
        ulong directorySlot = Root + ((virtualPage >> 22) * 4);
        uint pde = _memory.Read<uint>(directorySlot, KernelStructure.PageTables);
        if ((pde & Valid) == 0)
        {
            if (!create || !_kernelPages.TryAllocate(out uint table))
            {
                slot = 0;
                return false;
            }

            pde = Sv32.Pte(table / KernelConstants.PageSize, Valid);
            _memory.Write(directorySlot, pde, KernelStructure.PageTables);
        }

        slot = (Sv32.PageNumberOf(pde) * KernelConstants.PageSize) + (((virtualPage >> 12) & 0x3FF) * 4);
        return true;
    }
}
