using System.Text.Json.Serialization;
using Nanvix.Kernel.Mm;

namespace Nanvix.Cli;

/// <summary>
/// What one cluster's kernel ran of one kernel path of the text map (docs/layouts.md, "The kernel's code"): how
/// often, the instructions and conditional branches that makes, and, with the cache model on, its kernel I$ counts
/// (the rows of a cluster add up to its cores' <c>icache.kernel</c>).
/// </summary>
public sealed record KernelTextReport(
    string Path,
    ulong Executions,
    ulong Instructions,
    ulong Branches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CacheCounters? Icache)
{
    /// <summary>The paths <paramref name="data"/> ran, in <see cref="KernelPath"/> order.</summary>
    public static IReadOnlyList<KernelTextReport> Of(KernelMemory data, bool cached)
    {
        var rows = new List<KernelTextReport>();
        for (int p = 0; p < KernelText.PathCount; p++)
        {
            var path = (KernelPath)p;
            if (data.Of(path) is { Executions: > 0 } counts)
            {
                rows.Add(new KernelTextReport(KernelText.Name(path), counts.Executions, counts.Instructions, counts.Branches, cached ? CacheCounters.From(counts.Fetches) : null));
            }
        }

        return rows;
    }
}
