using System.Runtime.InteropServices;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// What the most recently used entry (way 0) of one <see cref="Tlb"/> set allows, in the form a load or store checks
/// with one compare: a tag per access that equals the virtual page base when the access hits, and the offset that turns
/// the virtual address into its host address with one add (16 bytes, so that the set index scales by a shift). Like the TLB of qemu's softmmu, the alignment bits
/// of the address are part of the compare, so a misaligned access misses the fast path and takes the slow one, which
/// traps. A hit here is exactly a way-0 hit of <see cref="Tlb.Lookup"/>, which changes no TLB state.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FastTranslation
{
    /// <summary>A tag no masked address equals: its low bits are all ones, an address's low bits at most 3.</summary>
    public const uint NoTag = Sv32.PageOffsetMask;

    /// <summary>Host address minus virtual address for the page.</summary>
    public nint HostOffset;

    /// <summary>Virtual page base when way 0 allows loads, else <see cref="NoTag"/>.</summary>
    public uint ReadTag;

    /// <summary>Virtual page base when way 0 allows stores, else <see cref="NoTag"/>.</summary>
    public uint WriteTag;

    public static FastTranslation Of(in TlbEntry way0)
    {
        uint virtualBase = way0.VirtualPage << Sv32.PageShift;
        return new FastTranslation
        {
            HostOffset = way0.Host - (nint)virtualBase,
            ReadTag = (way0.Allowed & AccessType.Read) != 0 ? virtualBase : NoTag,
            WriteTag = (way0.Allowed & AccessType.Write) != 0 ? virtualBase : NoTag,
        };
    }
}
