using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// The memory-management unit of one core in user mode: bare (virtual = physical) or Sv32 translation (RISC-V
/// privileged spec 20211203, section 4.3) through two-level page tables kept in physical memory, with a
/// <see cref="Tlb"/> in front.
/// <para>
/// Rules, as the spec allows them to be chosen: every access is a user-mode access, so a leaf PTE needs U=1; MXR and
/// SUM do not apply. A and D are updated by the hardware: the walker sets A on any access and D on a store, and writes
/// the PTE back to memory (not atomically with respect to other cores; the walk is one step of one core). A PTE, its
/// root or the page it maps outside physical memory, or in an inaccessible page, gives an access fault; anything the
/// spec calls invalid or not permitted gives a page fault with tval = the virtual address.
/// </para>
/// <para>
/// The TLB is not kept coherent with the page tables: after changing a PTE the kernel calls <see cref="FlushTlb"/>,
/// its sfence.vma. <see cref="UseSv32"/> and <see cref="UseBare"/> flush by themselves (there are no ASIDs).
/// </para>
/// </summary>
public sealed class Sv32Mmu
{
    private const AccessType All = AccessType.Read | AccessType.Write | AccessType.Execute;

    private readonly IPhysicalMemory _memory;
    private readonly uint _pageCount;
    private bool _sv32;
    private uint _rootPage;

    public Sv32Mmu(IPhysicalMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _pageCount = memory.Size >> Sv32.PageShift;
    }

    /// <summary>The TLB of this core.</summary>
    public Tlb Tlb { get; } = new();

    /// <summary>The physical memory this MMU translates into.</summary>
    public IPhysicalMemory Memory => _memory;

    /// <summary>True when Sv32 translation is on; false in bare mode.</summary>
    public bool IsSv32 => _sv32;

    /// <summary>Physical page number of the root page table (satp.PPN); meaningful when <see cref="IsSv32"/>.</summary>
    public uint RootPage => _rootPage;

    /// <summary>Turns Sv32 translation on with the root table at physical page <paramref name="rootPage"/>, and flushes the TLB.</summary>
    public void UseSv32(uint rootPage)
    {
        _sv32 = true;
        _rootPage = rootPage;
        Tlb.Flush();
    }

    /// <summary>Turns translation off (bare mode, satp.MODE = 0), and flushes the TLB.</summary>
    public void UseBare()
    {
        _sv32 = false;
        Tlb.Flush();
    }

    /// <summary>Drops every cached translation: the kernel's sfence.vma.</summary>
    public void FlushTlb() => Tlb.Flush();

    /// <summary>
    /// The TLB entry that allows <paramref name="access"/> at <paramref name="virtualAddress"/>, walking the page
    /// tables on a miss; a null reference with <paramref name="fault"/> set when the access traps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [KernelHotPath]
    public ref TlbEntry Translate(uint virtualAddress, AccessType access, out TrapCause fault)
    {
        ref TlbEntry entry = ref Tlb.Lookup(virtualAddress >> Sv32.PageShift, access);
        if (!Unsafe.IsNullRef(ref entry))
        {
            Unsafe.SkipInit(out fault);
            return ref entry;
        }

        return ref Refill(virtualAddress, access, out fault);
    }

    /// <summary>Translates without a trap, for a kernel or a debugger: the physical address, or false.</summary>
    public bool TryTranslate(uint virtualAddress, AccessType access, out uint physicalAddress)
    {
        ref TlbEntry entry = ref Translate(virtualAddress, access, out _);
        physicalAddress = Unsafe.IsNullRef(ref entry) ? 0 : entry.PhysicalBase | (virtualAddress & Sv32.PageOffsetMask);
        return !Unsafe.IsNullRef(ref entry);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TlbEntry Refill(uint virtualAddress, AccessType access, out TrapCause fault)
    {
        Tlb.Misses++;
        uint virtualPage = virtualAddress >> Sv32.PageShift;
        uint physicalPage;
        AccessType allowed;
        if (_sv32)
        {
            if (!Walk(virtualAddress, access, out physicalPage, out allowed, out fault))
            {
                return ref Unsafe.NullRef<TlbEntry>();
            }
        }
        else
        {
            physicalPage = virtualPage;
            allowed = All;
        }

        if (!IsUsable(physicalPage))
        {
            fault = AccessFault(access);
            return ref Unsafe.NullRef<TlbEntry>();
        }

        fault = default;
        TlbEntry entry = new()
        {
            Host = _memory.Base + (nint)((nint)physicalPage << Sv32.PageShift),
            VirtualPage = virtualPage,
            PhysicalBase = physicalPage << Sv32.PageShift,
            Allowed = allowed,
        };
        return ref Tlb.Insert(entry);
    }

    private bool Walk(uint virtualAddress, AccessType access, out uint physicalPage, out AccessType allowed, out TrapCause fault)
    {
        physicalPage = 0;
        allowed = 0;
        uint tablePage = _rootPage;
        uint pte = 0;
        uint pteAddress = 0;
        bool superpage = false;
        for (int level = 1; level >= 0; level--)
        {
            if (!IsUsable(tablePage))
            {
                fault = AccessFault(access);
                return false;
            }

            uint index = (virtualAddress >> (Sv32.PageShift + (10 * level))) & 0x3FF;
            pteAddress = (tablePage << Sv32.PageShift) + (index * 4);
            pte = HostMemory.Read32(_memory.Base, pteAddress);
            if ((pte & Sv32.V) == 0 || (pte & (Sv32.R | Sv32.W)) == Sv32.W)
            {
                fault = PageFault(access);
                return false;
            }

            if ((pte & (Sv32.R | Sv32.X)) != 0)
            {
                superpage = level == 1;
                break;
            }

            if (level == 0)
            {
                fault = PageFault(access); // a pointer PTE at the last level
                return false;
            }

            tablePage = Sv32.PageNumberOf(pte);
        }

        uint required = access switch
        {
            AccessType.Read => Sv32.R,
            AccessType.Write => Sv32.W,
            _ => Sv32.X,
        };
        if ((pte & Sv32.U) == 0 || (pte & required) == 0)
        {
            fault = PageFault(access);
            return false;
        }

        uint leafPage = Sv32.PageNumberOf(pte);
        if (superpage)
        {
            if ((leafPage & 0x3FF) != 0)
            {
                fault = PageFault(access); // misaligned superpage
                return false;
            }

            leafPage |= (virtualAddress >> Sv32.PageShift) & 0x3FF;
        }

        uint updated = pte | Sv32.A | (access == AccessType.Write ? Sv32.D : 0);
        if (updated != pte)
        {
            HostMemory.Write32(_memory.Base, pteAddress, updated);
        }

        physicalPage = leafPage;
        allowed = ((updated & Sv32.R) != 0 ? AccessType.Read : 0)
            | ((updated & Sv32.W & (updated >> 5)) != 0 ? AccessType.Write : 0) // W only once D is set
            | ((updated & Sv32.X) != 0 ? AccessType.Execute : 0);
        fault = default;
        return true;
    }

    private bool IsUsable(uint physicalPage) => physicalPage < _pageCount && _memory.IsAccessible(physicalPage);

    private static TrapCause PageFault(AccessType access) => access switch
    {
        AccessType.Read => TrapCause.LoadPageFault,
        AccessType.Write => TrapCause.StorePageFault,
        _ => TrapCause.InstructionPageFault,
    };

    private static TrapCause AccessFault(AccessType access) => access switch
    {
        AccessType.Read => TrapCause.LoadAccessFault,
        AccessType.Write => TrapCause.StoreAccessFault,
        _ => TrapCause.InstructionAccessFault,
    };
}
