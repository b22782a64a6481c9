namespace Nanvix.Arch.Mmu;

/// <summary>
/// The physical memory a core sees: one contiguous host buffer where physical address <c>a</c> lives at host address
/// <c>Base + a</c>, of <see cref="Size"/> bytes, cut into 4 KB pages that may be inaccessible (a hypervisor carve-out,
/// a hole). Kept this small on purpose so that a cluster's memory can adapt to it without the core knowing clusters.
/// The buffer must stay pinned and alive for as long as a core uses it.
/// </summary>
public interface IPhysicalMemory
{
    /// <summary>Host address of physical address 0.</summary>
    nint Base { get; }

    /// <summary>Size of physical memory in bytes, a multiple of 4 KB.</summary>
    uint Size { get; }

    /// <summary>
    /// True when the core may load, store and fetch in physical page <paramref name="pageNumber"/>. Only called for
    /// pages below <see cref="Size"/>; its answer is cached in TLB entries until the next TLB flush.
    /// </summary>
    bool IsAccessible(uint pageNumber);
}
