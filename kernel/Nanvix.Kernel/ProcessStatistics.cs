namespace Nanvix.Kernel;

/// <summary>
/// What one cluster's kernel counted for one process while it ran there: instructions its threads retired and kernel
/// calls it made. A statistic of the cluster, not state of the process: a move does not carry it, so the counts of a
/// process are the sum over the clusters it ran on.
/// </summary>
public readonly record struct ProcessStatistics(ulong Instructions, ulong KernelCalls);
