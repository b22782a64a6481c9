namespace Nanvix.Arch.Cache;

/// <summary>
/// Counts of one cache for one <see cref="AccessSource"/>. Misses are split by Hill's three Cs: compulsory (first
/// access ever to the line), capacity (would also miss in a fully associative LRU cache of the same size), conflict
/// (the rest: caused by the mapping to sets).
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

    public readonly ulong Misses => CompulsoryMisses + CapacityMisses + ConflictMisses;

    public override readonly string ToString() =>
        $"{Accesses} accesses, {Hits} hits, {Misses} misses ({CompulsoryMisses} compulsory, {CapacityMisses} capacity, {ConflictMisses} conflict), {Writebacks} write-backs";
}
