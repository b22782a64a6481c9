namespace Nanvix.Cli;

/// <summary>
/// What one compute cluster's kernel counted over the whole run, for every process that ran there: instructions
/// retired (the sum over <paramref name="Cores"/>), its time (the latest core), kernel calls served, and every core
/// that ran, with its caches when the cache model was on.
/// </summary>
public sealed record ClusterReport(string Cluster, ulong Instructions, ulong Cycles, ulong KernelCalls, double Microseconds, IReadOnlyList<CoreReport> Cores);
