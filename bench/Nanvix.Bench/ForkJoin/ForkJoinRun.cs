namespace Nanvix.Bench.ForkJoin;

/// <summary>Modeled figures of one fork-join run: elapsed cycles, kernel calls, and the kernel's D$ accesses and misses on all cores.</summary>
public readonly record struct ForkJoinRun(ulong Cycles, ulong KernelCalls, ulong KernelAccesses, ulong KernelMisses);
