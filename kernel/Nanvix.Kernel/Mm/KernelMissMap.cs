using Nanvix.Arch.Cache;

namespace Nanvix.Kernel.Mm;

/// <summary>
/// Every kernel D$ miss of a cluster by the address the access started at in the missing line and the structure it
/// touched, split by the three Cs: what <c>nanvix run --annotate</c> names by structure and field. Kept only when asked
/// for (<see cref="KernelMemory.Misses"/>), outside the kernel's hot path: a dictionary grows as new addresses miss.
/// </summary>
public sealed class KernelMissMap
{
    private readonly Dictionary<(uint Address, KernelStructure Structure), MissCounts> _misses = [];

    /// <summary>The misses recorded, in no particular order.</summary>
    public IEnumerable<KeyValuePair<(uint Address, KernelStructure Structure), MissCounts>> Entries => _misses;

    /// <summary>Records what one access of the line at <paramref name="address"/> added to the D$'s kernel counts, if it missed.</summary>
    public void Record(uint address, KernelStructure structure, in CacheStatistics before, in CacheStatistics after)
    {
        MissCounts added = MissCounts.Between(before, after);
        if (added.Total == 0)
        {
            return;
        }

        _misses.TryGetValue((address, structure), out MissCounts counts);
        _misses[(address, structure)] = counts + added;
    }
}
