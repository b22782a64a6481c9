using Nanvix.Arch.Cache;

namespace Nanvix.Cli;

/// <summary>The counts of one cache for one kind of access (user or kernel), as written to the statistics file.</summary>
public sealed record CacheCounters(ulong Accesses, ulong Hits, ulong Misses, ulong Compulsory, ulong Capacity, ulong Conflict, ulong Writebacks, ulong WritesAround)
{
    public static CacheCounters From(CacheStatistics s) =>
        new(s.Accesses, s.Hits, s.Misses, s.CompulsoryMisses, s.CapacityMisses, s.ConflictMisses, s.Writebacks, s.WritesAround);
}
