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

    /// <summary>
    /// A software bit (the first RSW bit) of a leaf PTE that is not valid: the page is the process's, but its contents
    /// are still on the cluster it moved from (post-copy); the MMU faults on it, and the kernel pulls the page.
    /// </summary>
    private const uint Remote = 1u << 8;

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
        if (EmptyLeafSlot(virtualPage, out ulong slot) is { } refused)
        {
            return refused;
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
            else if ((pte & Remote) != 0)
            {
                RemotePages--;
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
        uint page = address & ~(KernelConstants.PageSize - 1);
        if (TryLeafSlot(page, create: false, out ulong slot) && _memory.Read<uint>(slot, KernelStructure.PageTables) is uint pte
            && (pte & Valid) != 0 && (pte & (uint)needed) == (uint)needed)
        {
            uint touched = pte | Sv32.A | ((needed & PagePermissions.Write) != 0 ? Sv32.D : 0);
            if (touched != pte)
            {
                // The kernel reads or writes the page for the process (a copy, a DMA it sets up): accessed, and dirty on
                // a write, as the process's own access would make it (the bits are only ever clear during a live move).
                _memory.Write(slot, touched, KernelStructure.PageTables);
            }

            physical = (Sv32.PageNumberOf(pte) * KernelConstants.PageSize) + (address & (KernelConstants.PageSize - 1));
            return true;
        }

        physical = 0;
        return false;
    }

    /// <summary>
    /// True while a pre-copy move tracks the pages this space's process writes (<see cref="Clean"/> cleared their dirty
    /// bits): the kernel then marks the pages a portal read landed in as dirty too. Host state of the move under way, not
    /// of the process: it does not travel.
    /// </summary>
    public bool Tracking { get; set; }

    /// <summary>True when the mapped page <paramref name="virtualPage"/> was written since its dirty bit was last cleared (or never cleared).</summary>
    public bool IsDirty(uint virtualPage) => TryLeaf(virtualPage, out uint pte) && (pte & Sv32.D) != 0;

    /// <summary>
    /// Clears the dirty bit of the mapped page <paramref name="virtualPage"/>: the next store to it through a core's MMU
    /// (after the TLBs are flushed) or through the kernel sets it again.
    /// </summary>
    public void Clean(uint virtualPage)
    {
        if (TryLeafSlot(virtualPage, create: false, out ulong slot) && _memory.Read<uint>(slot, KernelStructure.PageTables) is uint pte
            && (pte & Valid) != 0 && (pte & Sv32.D) != 0)
        {
            _memory.Write(slot, pte & ~Sv32.D, KernelStructure.PageTables);
        }
    }

    /// <summary>
    /// Maps <paramref name="frame"/>, a user frame this space takes over (its contents landed before the page table was
    /// made: a pre-copied page), at <paramref name="virtualPage"/>; as <see cref="MapNew"/> otherwise.
    /// </summary>
    public MapResult MapFrame(uint virtualPage, uint frame, PagePermissions permissions)
    {
        if (EmptyLeafSlot(virtualPage, out ulong slot) is { } refused)
        {
            return refused;
        }

        _memory.Write(slot, Sv32.Pte(frame / KernelConstants.PageSize, LeafFlags(permissions)), KernelStructure.PageTables);
        return MapResult.Mapped;
    }

    /// <summary>
    /// Where a new mapping of <paramref name="virtualPage"/> goes (its leaf PTE, the second-level table made if need be),
    /// or why there is none: a reserved page, no kernel page for the table, a page mapped (or post-copied) already.
    /// </summary>
    private MapResult? EmptyLeafSlot(uint virtualPage, out ulong slot)
    {
        slot = 0;
        if (UserAddressMap.IsReservedPage(virtualPage))
        {
            return MapResult.Reserved;
        }

        _memory.Execute(KernelPath.PageMap);
        if (TryLeafSlot(virtualPage, create: true, out slot) is false)
        {
            return MapResult.NoMemory;
        }

        return (_memory.Read<uint>(slot, KernelStructure.PageTables) & (Valid | Remote)) != 0 ? MapResult.AlreadyMapped : null;
    }

    /// <summary>Pages of this space whose contents are still on the cluster the process moved from (post-copy).</summary>
    public int RemotePages { get; private set; }

    /// <summary>
    /// Marks <paramref name="virtualPage"/> as the process's, with <paramref name="permissions"/>, but still on the
    /// cluster it moved from: an invalid PTE that remembers the permissions, so that an access faults into the kernel.
    /// </summary>
    public MapResult MapRemote(uint virtualPage, PagePermissions permissions)
    {
        if (EmptyLeafSlot(virtualPage, out ulong slot) is { } refused)
        {
            return refused;
        }

        _memory.Write(slot, Remote | User | (uint)permissions, KernelStructure.PageTables);
        RemotePages++;
        return MapResult.Mapped;
    }

    /// <summary>True when <paramref name="virtualPage"/> is the process's but still on the cluster it moved from.</summary>
    public bool IsRemote(uint virtualPage) =>
        RemotePages > 0 && TryLeafSlot(virtualPage & ~(KernelConstants.PageSize - 1), create: false, out ulong slot)
        && (_memory.Read<uint>(slot, KernelStructure.PageTables) & (Valid | Remote)) == Remote;

    /// <summary>The page <paramref name="virtualPage"/> arrived in <paramref name="frame"/>: mapped there with the permissions it had; false (nothing changed) when it is not remote.</summary>
    public bool Land(uint virtualPage, uint frame)
    {
        if (!TryLeafSlot(virtualPage, create: false, out ulong slot))
        {
            return false;
        }

        uint pte = _memory.Read<uint>(slot, KernelStructure.PageTables);
        if ((pte & (Valid | Remote)) != Remote)
        {
            return false;
        }

        var permissions = (PagePermissions)(pte & (uint)(PagePermissions.Read | PagePermissions.Write | PagePermissions.Execute));
        _memory.Write(slot, Sv32.Pte(frame / KernelConstants.PageSize, LeafFlags(permissions)), KernelStructure.PageTables);
        RemotePages--;
        return true;
    }

    /// <summary>Unmaps <paramref name="virtualPage"/> without freeing its frame, which is returned (0 when it was not mapped): a page handed to another owner.</summary>
    public uint Detach(uint virtualPage)
    {
        if (TryLeafSlot(virtualPage, create: false, out ulong slot) && _memory.Read<uint>(slot, KernelStructure.PageTables) is uint pte && (pte & Valid) != 0)
        {
            _memory.Write(slot, 0u, KernelStructure.PageTables);
            return Sv32.PageNumberOf(pte) * KernelConstants.PageSize;
        }

        return 0;
    }

    /// <summary>Clears the accessed bit of every mapped page: the next access to each (through a core's MMU after the TLBs are flushed, or the kernel) sets it again.</summary>
    public void ClearAccessed()
    {
        foreach ((uint va, _, _, _, _) in MappingsWithBits())
        {
            TryLeafSlot(va, create: false, out ulong slot);
            _memory.Write(slot, _memory.Read<uint>(slot, KernelStructure.PageTables) & ~Sv32.A, KernelStructure.PageTables);
        }
    }

    /// <summary>Every mapped page: its virtual address, the physical frame behind it and its permissions, in address order.</summary>
    public List<(uint Virtual, uint Frame, PagePermissions Permissions)> Mappings() => [.. MappingsWithBits().Select(m => (m.Virtual, m.Frame, m.Permissions))];

    /// <summary>
    /// As <see cref="Mappings"/>, with each page's dirty bit (written since it was last <see cref="Clean"/>ed, or never
    /// cleaned) and accessed bit (touched since <see cref="ClearAccessed"/>, or never cleared).
    /// </summary>
    public List<(uint Virtual, uint Frame, PagePermissions Permissions, bool Dirty, bool Accessed)> MappingsWithBits()
    {
        var pages = new List<(uint, uint, PagePermissions, bool, bool)>();
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
                    pages.Add(((i << 22) | (j << 12), Sv32.PageNumberOf(pte) * KernelConstants.PageSize, permissions, (pte & Sv32.D) != 0, (pte & Sv32.A) != 0));
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
