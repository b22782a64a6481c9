using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nanvix.Arch.Mmu;

/// <summary>
/// A per-core translation lookaside buffer: 64 entries, 2-way set associative on the low virtual page bits, LRU within
/// a set (the most recently used entry is kept in way 0, so a hit in way 0 costs no bookkeeping). The size follows the
/// k1b's 64-entry, 2-way joint TLB (Kalray k1b core documentation; assumption where the public record is thin).
/// Entries stay valid until <see cref="Flush"/>: like the RISC-V sfence.vma, a kernel that edits a PTE must flush.
/// </summary>
public sealed class Tlb
{
    /// <summary>Number of sets.</summary>
    public const int Sets = 32;

    /// <summary>Ways per set.</summary>
    public const int Ways = 2;

    private readonly TlbEntry[] _entries = new TlbEntry[Sets * Ways];

    // Way 0 of each set as a load or store checks it in one compare (see FastTranslation), kept equal to way 0 by every
    // change of it: Insert, the swap of a way-1 hit, Flush.
    private readonly FastTranslation[] _fast = NewFastTranslations();

    /// <summary>Way 0 of every set as <see cref="FastTranslation"/>s, indexed by virtual page number modulo <see cref="Sets"/>.</summary>
    internal FastTranslation[] Fast => _fast;

    /// <summary>The entries, set after set, the most recently used way of each set first: for tests and tools.</summary>
    public ReadOnlySpan<TlbEntry> Entries => _entries;

    /// <summary>Number of lookups that found no usable entry (walks), for statistics.</summary>
    public ulong Misses { get; internal set; }

    /// <summary>
    /// The entry for <paramref name="virtualPage"/> that allows <paramref name="access"/>, or a null reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [KernelHotPath]
    public ref TlbEntry Lookup(uint virtualPage, AccessType access)
    {
        ref TlbEntry way0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), (int)(virtualPage % Sets) * Ways);
        if (way0.VirtualPage == virtualPage && (way0.Allowed & access) != 0)
        {
            return ref way0;
        }

        return ref LookupWay1(ref way0, virtualPage, access);
    }

    /// <summary>Drops every entry: the kernel's sfence.vma with no arguments.</summary>
    public void Flush()
    {
        Array.Clear(_entries);
        Array.Fill(_fast, FastTranslation.Of(default));
    }

    /// <summary>Places a translation as the most recently used entry of its set, replacing any entry for the same page.</summary>
    internal ref TlbEntry Insert(scoped in TlbEntry entry)
    {
        ref TlbEntry way0 = ref _entries[(int)(entry.VirtualPage % Sets) * Ways];
        ref TlbEntry way1 = ref Unsafe.Add(ref way0, 1);
        if (way1.VirtualPage == entry.VirtualPage)
        {
            way1.Allowed = 0;
        }

        if (!(way0.VirtualPage == entry.VirtualPage && way0.Allowed != 0) && way0.Allowed != 0)
        {
            way1 = way0; // the old MRU becomes the LRU; the old LRU is evicted.
        }

        way0 = entry;
        _fast[(int)(entry.VirtualPage % Sets)] = FastTranslation.Of(way0);
        return ref way0;
    }

    private static FastTranslation[] NewFastTranslations()
    {
        var fast = new FastTranslation[Sets];
        Array.Fill(fast, FastTranslation.Of(default));
        return fast;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TlbEntry LookupWay1(ref TlbEntry way0, uint virtualPage, AccessType access)
    {
        ref TlbEntry way1 = ref Unsafe.Add(ref way0, 1);
        if (way1.VirtualPage != virtualPage || (way1.Allowed & access) == 0)
        {
            return ref Unsafe.NullRef<TlbEntry>();
        }

        (way0, way1) = (way1, way0);
        _fast[(int)(virtualPage % Sets)] = FastTranslation.Of(way0);
        return ref way0;
    }
}
