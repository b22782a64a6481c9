namespace Nanvix.Arch.Cache;

/// <summary>Misses split by the three Cs (as <see cref="CacheModel"/> classes them): what an annotation adds up per name.</summary>
public readonly record struct MissCounts(ulong Compulsory, ulong Capacity, ulong Conflict)
{
    public ulong Total => Compulsory + Capacity + Conflict;

    /// <summary>The misses counted between two readings of the same counters.</summary>
    public static MissCounts Between(in CacheStatistics before, in CacheStatistics after) =>
        new(after.CompulsoryMisses - before.CompulsoryMisses, after.CapacityMisses - before.CapacityMisses, after.ConflictMisses - before.ConflictMisses);

    public static MissCounts operator +(MissCounts a, MissCounts b) =>
        new(a.Compulsory + b.Compulsory, a.Capacity + b.Capacity, a.Conflict + b.Conflict);
}
