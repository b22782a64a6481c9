using Nanvix.Kernel.Mm;

namespace Nanvix.Cli;

/// <summary>
/// The D$ counts of the kernel's accesses to one kernel structure of a cluster (summed over its cores): the rows of a
/// cluster add up to its cores' kernel D$ counts.
/// </summary>
public sealed record KernelDataReport(string Structure, CacheCounters Counts)
{
    /// <summary>The structures <paramref name="data"/> counted an access to, in <see cref="KernelStructure"/> order.</summary>
    public static IReadOnlyList<KernelDataReport> Of(KernelMemory data)
    {
        var rows = new List<KernelDataReport>();
        for (int s = 0; s < KernelStructures.Count; s++)
        {
            var structure = (KernelStructure)s;
            if (data.Of(structure) is { Accesses: > 0 } counts)
            {
                rows.Add(new KernelDataReport(KernelStructures.Name(structure), CacheCounters.From(counts)));
            }
        }

        return rows;
    }
}
