namespace Nanvix.Cli;

/// <summary>
/// The statistics file of <c>nanvix run --stats</c>: the configuration, the program's status and what the cluster
/// counted. Only simulated quantities, so the same configuration always gives the same bytes.
/// </summary>
public sealed record RunReport(
    string Machine,
    string Cluster,
    string Layout,
    string Timing,
    bool Cache,
    string Program,
    IReadOnlyList<string> Arguments,
    int Status,
    ulong Instructions,
    ulong Cycles,
    ulong KernelCalls,
    double Microseconds,
    IReadOnlyList<CoreReport> Cores)
{
    /// <summary>The moves of <c>--migrate</c>, in order; left out of the file when there were none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MigrationEntry>? Migrations { get; init; }
}
