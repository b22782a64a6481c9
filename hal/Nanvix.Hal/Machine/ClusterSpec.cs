using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Machine;

/// <summary>One cluster of a processor, as the hardware defines it.</summary>
/// <param name="Id">Logical cluster number (IO0=0, IO1=1, CC0=2 … on the MPPA-256).</param>
/// <param name="Name">Short name used everywhere a person reads it: IO0, CC3.</param>
/// <param name="Kind">I/O or compute.</param>
/// <param name="CoreCount">Cores in the cluster; core 0 is the master core.</param>
/// <param name="MemoryMap">Regions of the cluster's private memory.</param>
/// <param name="NocNodes">Logical NoC nodes that belong to the cluster; the first is its main node.</param>
public sealed record ClusterSpec(int Id, string Name, ClusterKind Kind, int CoreCount, MemoryMap MemoryMap, IReadOnlyList<int> NocNodes)
{
    /// <summary>The core that runs the kernel's master loop.</summary>
    public const int MasterCore = 0;

    /// <summary>The shape of each core's instruction cache, when the cache model is on.</summary>
    public required CacheGeometry InstructionCache { get; init; }

    /// <summary>The shape of each core's data cache, when the cache model is on.</summary>
    public required CacheGeometry DataCache { get; init; }

    /// <summary>What each instruction class and a cache miss cost a core of this cluster, in cycles.</summary>
    public CycleCosts Costs { get; init; } = CycleCosts.Mppa256;
}
