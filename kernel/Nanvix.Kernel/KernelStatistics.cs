namespace Nanvix.Kernel;

/// <summary>What a cluster's kernel counted: instructions retired and cycles on its cores, kernel calls served.</summary>
public readonly record struct KernelStatistics(ulong Instructions, ulong Cycles, ulong KernelCalls);
