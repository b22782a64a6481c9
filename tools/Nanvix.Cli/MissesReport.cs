using Nanvix.Arch.Cache;

namespace Nanvix.Cli;

/// <summary>Misses of one cache, with their split by the three Cs, as the statistics file writes them.</summary>
public sealed record MissesReport(ulong Misses, ulong Compulsory, ulong Capacity, ulong Conflict)
{
    public static MissesReport From(MissCounts counts) => new(counts.Total, counts.Compulsory, counts.Capacity, counts.Conflict);
}
