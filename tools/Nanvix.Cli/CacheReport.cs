using Nanvix.Arch.Cache;

namespace Nanvix.Cli;

/// <summary>One modeled cache of a core, its user and kernel accesses told apart.</summary>
public sealed record CacheReport(CacheCounters User, CacheCounters Kernel)
{
    public static CacheReport From(CacheModel cache) => new(CacheCounters.From(cache.User), CacheCounters.From(cache.Kernel));
}
