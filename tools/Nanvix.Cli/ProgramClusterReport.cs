namespace Nanvix.Cli;

/// <summary>What one process did on one cluster: its share of the cluster's instructions and kernel calls.</summary>
public sealed record ProgramClusterReport(string Cluster, ulong Instructions, ulong KernelCalls);
