using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Processor;

/// <summary>
/// A processor built from a <see cref="ProcessorSpec"/>: one <see cref="ClusterMemory"/> per cluster, allocated once,
/// one event scheduler, one NoC in the chosen timing mode. Dispose frees every cluster's memory.
/// </summary>
public sealed class Processor : IProcessor
{
    private readonly Cluster[] _clusters;
    private readonly NetworkOnChip _noc;

    public Processor(ProcessorSpec spec, NocTimingMode timing = NocTimingMode.Hardware)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Scheduler = new EventScheduler(spec.FrequencyHz);
        _clusters = spec.Clusters.Select(c => new Cluster(c)).ToArray();
        var memoryOfNode = new ClusterMemory[spec.Noc.Topology.NodeCount];
        foreach (Cluster cluster in _clusters)
        {
            foreach (int node in cluster.NocNodes)
            {
                memoryOfNode[node] = cluster.Memory;
            }
        }

        _noc = new NetworkOnChip(spec.Noc, timing, Scheduler, memoryOfNode);
    }

    public ProcessorSpec Spec { get; }

    public IReadOnlyList<ICluster> Clusters => _clusters;

    public EventScheduler Scheduler { get; }

    public IClock Clock => Scheduler;

    public INoc Noc => _noc;

    public ICluster Cluster(string name) => _clusters[Spec.Cluster(name).Id];

    public void Dispose()
    {
        foreach (Cluster cluster in _clusters)
        {
            cluster.Dispose();
        }
    }
}
