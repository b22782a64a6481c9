namespace Nanvix.Kernel.Layout;

/// <summary>
/// Where the per-process kernel state lives in one cluster's kernel-data region, decided at boot by the layout:
/// the base of every table (Scattered) or of the User Areas (UArea). Addresses are computed from these bases by
/// the layout's static methods, which the JIT and NativeAOT specialize per layout.
/// </summary>
public readonly struct KernelDataPlan
{
    public ulong UAreas { get; init; }

    /// <summary>Bytes from one User Area to the next (UArea): its size on whole cache lines, plus the gap asked for.</summary>
    public int UAreaStride { get; init; }

    public ulong Threads { get; init; }

    public ulong Joins { get; init; }

    public ulong Returns { get; init; }

    public ulong Stacks { get; init; }

    public ulong RunQueues { get; init; }

    public ulong Control { get; init; }

    public ulong PageTables { get; init; }

    public ulong Sysboard { get; init; }

    public ulong Mutexes { get; init; }

    public ulong Semaphores { get; init; }

    public ulong Conditions { get; init; }

    /// <summary>
    /// The IKC descriptor table (<see cref="IkcEntry"/>): under Scattered the whole table; under UArea the node's own
    /// entries, after the processes' entries in their User Areas.
    /// </summary>
    public ulong Ikc { get; init; }

    /// <summary>Entries of the IKC descriptor table, every process's and the node's.</summary>
    public int IkcEntries { get; init; }

    /// <summary>Processes the plan holds state for.</summary>
    public int IkcProcesses { get; init; }

    /// <summary>First byte past the per-process state.</summary>
    public ulong End { get; init; }

    /// <summary>Every table or User Area, in address order.</summary>
    public IReadOnlyList<Placement> Placements { get; init; }
}
