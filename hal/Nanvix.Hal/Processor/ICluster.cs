using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Processor;

/// <summary>One cluster: its cores, its private memory and its NoC nodes.</summary>
public interface ICluster
{
    /// <summary>Logical cluster number.</summary>
    int Id { get; }

    /// <summary>IO0, CC3…</summary>
    string Name { get; }

    ClusterKind Kind { get; }

    IReadOnlyList<ICore> Cores { get; }

    /// <summary>The cluster's private memory: every kernel structure and user frame of the cluster lives in it.</summary>
    ClusterMemory Memory { get; }

    /// <summary>NoC nodes of the cluster; the first is its main node.</summary>
    IReadOnlyList<int> NocNodes { get; }

    /// <summary>
    /// The kernel wrote page <paramref name="pageNumber"/> of the cluster's memory other than through a core (a program
    /// loaded, a page arrived): what the cores predecoded from it is dropped.
    /// </summary>
    void CodeChanged(uint pageNumber);
}
