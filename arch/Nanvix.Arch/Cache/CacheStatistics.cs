namespace Nanvix.Arch.Cache;

/// <summary>
/// Counts of one cache for one <see cref="AccessSource"/>. An access is a hit, a miss (the line is filled) or, under
/// <see cref="WritePolicy.WriteThroughNoAllocate"/>, a write around (a store to a line that is not resident: it goes
/// to memory through the write buffer, fills nothing and stalls nothing). Misses are split by Hill's three Cs:
/// compulsory (first fill ever of the line), capacity (would also miss in a fully associative LRU cache of the same
/// size), conflict (the rest: caused by the mapping to sets).
/// </summary>
public struct CacheStatistics
{
    public ulong Accesses;
    public ulong Hits;
    public ulong CompulsoryMisses;
    public ulong CapacityMisses;
    public ulong ConflictMisses;

    /// <summary>Dirty lines written back on eviction (write-back caches only).</summary>
    public ulong Writebacks;

    /// <summary>Stores to a line that was not resident, under write-through no-allocate: neither a hit nor a miss.</summary>
    public ulong WritesAround;

    public readonly ulong Misses => CompulsoryMisses + CapacityMisses + ConflictMisses;

    public override readonly string ToString() =>
        $"{Accesses} accesses, {Hits} hits, {Misses} misses ({CompulsoryMisses} compulsory, {CapacityMisses} capacity, {ConflictMisses} conflict), {WritesAround} writes around, {Writebacks} write-backs";
}
