using Nanvix.Arch.Cache;
using Nanvix.Kernel;
using Nanvix.Kernel.Mm;

namespace Nanvix.Cli;

/// <summary>
/// The kernel D$ misses of a cluster at one kernel field (<c>--annotate</c>), with the three Cs: the rows of a
/// structure add up to its <c>kernel_data</c> misses.
/// </summary>
public sealed record AnnotateReport(string Structure, string Field, ulong Misses, ulong Compulsory, ulong Capacity, ulong Conflict)
{
    /// <summary>The misses <paramref name="kernel"/> recorded, by structure and field, most first (then by name, so the order is fixed).</summary>
    public static IReadOnlyList<AnnotateReport> Of(IClusterKernel kernel, KernelMissMap map)
    {
        var names = new KernelMissNames(kernel);
        var fields = new Dictionary<(KernelStructure, string), MissCounts>();
        foreach (((uint address, KernelStructure structure), MissCounts counts) in map.Entries)
        {
            string field = names.Name(address, structure);
            fields.TryGetValue((structure, field), out MissCounts sum);
            fields[(structure, field)] = sum + counts;
        }

        return [.. fields
            .Select(f => new AnnotateReport(KernelStructures.Name(f.Key.Item1), f.Key.Item2, f.Value.Total, f.Value.Compulsory, f.Value.Capacity, f.Value.Conflict))
            .OrderByDescending(r => r.Misses)
            .ThenBy(r => r.Structure, StringComparer.Ordinal)
            .ThenBy(r => r.Field, StringComparer.Ordinal)];
    }
}
