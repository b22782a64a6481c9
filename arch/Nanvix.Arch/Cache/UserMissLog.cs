namespace Nanvix.Arch.Cache;

/// <summary>
/// Every user I$ and D$ miss of the cores that log to it, by who ran (<see cref="Owner"/>, which the kernel sets before
/// each quantum: a pid), the pc of the instruction whose fetch or data access missed, and the cache, split by the three
/// Cs: what <c>nanvix run --annotate</c> names by function. A core logs only when it is given a log
/// (<see cref="Core.Hart.UserMisses"/>), through interpreter loops of their own, so a run without one pays nothing for
/// it; the dictionary grows as new pcs miss. The misses logged are those the cores' user counters count, no more, no fewer.
/// </summary>
public sealed class UserMissLog
{
    private readonly Dictionary<UserMissSite, MissCounts> _misses = [];

    /// <summary>Who the misses logged from now on are of (a pid); the kernel sets it before it runs a quantum.</summary>
    public int Owner { get; set; }

    /// <summary>The misses logged, in no particular order.</summary>
    public IEnumerable<KeyValuePair<UserMissSite, MissCounts>> Entries => _misses;

    /// <summary>Logs what one access by the instruction at <paramref name="pc"/> added to a cache's user counts (a miss).</summary>
    internal void Record(uint pc, bool instruction, in CacheStatistics before, in CacheStatistics after)
    {
        var site = new UserMissSite(Owner, pc, instruction);
        _misses.TryGetValue(site, out MissCounts counts);
        _misses[site] = counts + MissCounts.Between(before, after);
    }
}
