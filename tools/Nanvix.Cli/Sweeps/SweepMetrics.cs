using System.Text.Json;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// The columns a sweep's table has per run, each taken from the run's statistics (what <c>nanvix run --stats</c>
/// writes): the status, the totals, the NoC traffic, the migrations and the caches' misses over every core, user and
/// kernel (zero with the cache model off; <c>icache_misses</c> is the user I$'s, as it was before the kernel's text went
/// through the I$).
/// </summary>
public static class SweepMetrics
{
    private static readonly (string Name, Func<RunReport, decimal> Of)[] Metrics =
    [
        ("status", r => r.Status),
        ("instructions", r => r.Instructions),
        ("cycles", r => r.Cycles),
        ("kernel_calls", r => r.KernelCalls),
        ("microseconds", r => (decimal)r.Microseconds),
        ("noc_transfers", r => r.Noc.Transfers),
        ("noc_bytes", r => r.Noc.Bytes),
        ("noc_wire_bytes", r => r.Noc.WireBytes),
        ("migrations", r => r.Migrations?.Count ?? 0),
        ("migrated_bytes", r => r.Migrations?.Sum(m => (decimal)m.Bytes) ?? 0),
        ("downtime_cycles", r => r.Migrations?.Sum(m => (decimal)m.DowntimeCycles) ?? 0),
        ("icache_misses", r => Caches(r, c => c.Icache?.User.Misses)),
        ("icache_kernel_misses", r => Caches(r, c => c.Icache?.Kernel.Misses)),
        ("dcache_user_misses", r => Caches(r, c => c.Dcache?.User.Misses)),
        ("dcache_kernel_misses", r => Caches(r, c => c.Dcache?.Kernel.Misses)),
    ];

    /// <summary>The metrics, in the order of the table's columns.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Metrics.Select(m => m.Name)];

    /// <summary>Writes every metric of <paramref name="report"/> as one JSON object, in the order of <see cref="Names"/>.</summary>
    public static void Write(Utf8JsonWriter writer, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach ((string name, Func<RunReport, decimal> of) in Metrics)
        {
            writer.WriteNumber(name, of(report));
        }

        writer.WriteEndObject();
    }

    private static decimal Caches(RunReport report, Func<CoreReport, ulong?> misses) =>
        report.Clusters.SelectMany(c => c.Cores).Sum(core => (decimal)(misses(core) ?? 0));
}
