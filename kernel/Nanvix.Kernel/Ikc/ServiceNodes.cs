using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;

namespace Nanvix.Kernel.Ikc;

/// <summary>Where the multikernel's services listen on the NoC: the nodes of the first I/O cluster.</summary>
public static class ServiceNodes
{
    /// <summary>The NoC node of the name service of <paramref name="processor"/>: the first node of its first I/O cluster, or -1.</summary>
    public static int Name(IProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        return processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.IO)?.NocNodes[0] ?? -1;
    }

    /// <summary>The node of the spawn service of <paramref name="processor"/>: the third node of its first I/O cluster, or -1.</summary>
    public static int Spawn(IProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ICluster? io = processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.IO);
        return io is { NocNodes.Count: > 2 } ? io.NocNodes[2] : -1;
    }
}
