using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>
/// What one compute cluster's kernel counted over the whole run, for every process that ran there: instructions
/// retired (the sum over <paramref name="Cores"/>), its time (the latest core), kernel calls served, and every core
/// that ran, with its caches when the cache model was on; then, with the cache model on, the kernel's D$ accesses by
/// the kernel structure they touched (<paramref name="KernelData"/>, adding up to the cores' kernel D$ counts); and
/// what the kernel ran of its text map (<paramref name="KernelText"/>: paths, instructions, branches, kernel I$ counts);
/// with <c>--annotate</c>, the kernel D$ misses by structure and field (<paramref name="Annotate"/>) and the cores' user
/// misses by program and function (<paramref name="AnnotateUser"/>).
/// </summary>
public sealed record ClusterReport(
    string Cluster,
    ulong Instructions,
    ulong Cycles,
    ulong KernelCalls,
    double Microseconds,
    IReadOnlyList<CoreReport> Cores,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<KernelDataReport>? KernelData = null,
    IReadOnlyList<KernelTextReport>? KernelText = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AnnotateReport>? Annotate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UserAnnotateReport>? AnnotateUser = null);
