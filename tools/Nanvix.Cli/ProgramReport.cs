using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>One process of a run: what it was started as, how it ended, every cluster it ran on, and what it did there.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Program">Its program (argv[0]); null for a process the spawn service started.</param>
/// <param name="Arguments">argv[1..]; null for a process the spawn service started.</param>
/// <param name="Status">Its exit status; null when the run stopped before it ended.</param>
/// <param name="Diagnostic">Why the kernel killed it, when it did.</param>
/// <param name="Clusters">The clusters it ran on, in order (a move appends its target; see <see cref="RunReport.Migrations"/>).</param>
/// <param name="Instructions">Instructions its threads retired, on every cluster (the sum over <paramref name="PerCluster"/>).</param>
/// <param name="KernelCalls">Kernel calls it made, on every cluster.</param>
/// <param name="PerCluster">Its share of each cluster's counts, one entry per cluster it ran on, in the order it first ran there.</param>
public sealed record ProgramReport(
    int Pid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Program,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Arguments,
    int? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Diagnostic,
    IReadOnlyList<string> Clusters,
    ulong Instructions,
    ulong KernelCalls,
    IReadOnlyList<ProgramClusterReport> PerCluster);
