namespace Nanvix.Hal.Processor;

internal sealed class Core(int id, ICluster cluster) : ICore
{
    public int Id { get; } = id;

    public ICluster Cluster { get; } = cluster;

    public bool IsMaster => Id == Machine.ClusterSpec.MasterCore;

    public override string ToString() => $"{Cluster.Name}.core{Id}";
}
