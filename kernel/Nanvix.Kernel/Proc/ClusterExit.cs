namespace Nanvix.Kernel.Proc;

/// <summary>A process that ended, and the cluster it ended on.</summary>
public sealed record ClusterExit(string Cluster, ProcessExit Exit);
