using System.Runtime.InteropServices;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// One cached translation of a 4 KB virtual page: the physical page and its host address, so that a hit turns into
/// a pointer add. <see cref="Allowed"/> holds the accesses that need no walk: it holds Write only once the PTE's D bit
/// is set, so the first store to a clean page walks and sets D.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct TlbEntry
{
    /// <summary>Host address of the first byte of the physical page.</summary>
    public nint Host;

    /// <summary>Virtual page number (address bits 31:12).</summary>
    public uint VirtualPage;

    /// <summary>Physical address of the page (page number times 4 KB; physical memory is below 4 GB).</summary>
    public uint PhysicalBase;

    /// <summary>Accesses allowed without a walk; 0 means the entry is invalid.</summary>
    public AccessType Allowed;

    /// <summary>Physical page number.</summary>
    public readonly uint PhysicalPage => PhysicalBase >> Sv32.PageShift;
}
