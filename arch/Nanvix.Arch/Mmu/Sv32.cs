namespace Nanvix.Arch.Mmu;

/// <summary>
/// Constants of the Sv32 virtual-memory scheme (RISC-V privileged spec 20211203, section 4.3): 4 KB pages, two levels
/// of 1024 four-byte PTEs, and the PTE flag bits.
/// </summary>
public static class Sv32
{
    public const int PageShift = 12;
    public const uint PageSize = 1u << PageShift;
    public const uint PageOffsetMask = PageSize - 1;

    /// <summary>PTE valid.</summary>
    public const uint V = 1 << 0;

    /// <summary>PTE readable.</summary>
    public const uint R = 1 << 1;

    /// <summary>PTE writable (W without R is reserved and faults).</summary>
    public const uint W = 1 << 2;

    /// <summary>PTE executable.</summary>
    public const uint X = 1 << 3;

    /// <summary>PTE accessible to user mode.</summary>
    public const uint U = 1 << 4;

    /// <summary>PTE global (kept, not used: there are no ASIDs here).</summary>
    public const uint G = 1 << 5;

    /// <summary>PTE accessed: set by this core's page-table walker on any access.</summary>
    public const uint A = 1 << 6;

    /// <summary>PTE dirty: set by this core's page-table walker on a store.</summary>
    public const uint D = 1 << 7;

    /// <summary>Builds a PTE that maps physical page <paramref name="pageNumber"/> with <paramref name="flags"/>.</summary>
    public static uint Pte(uint pageNumber, uint flags) => (pageNumber << 10) | flags;

    /// <summary>The physical page number a PTE points to (22 bits).</summary>
    public static uint PageNumberOf(uint pte) => pte >> 10;
}
