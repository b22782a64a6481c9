using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Processor;

/// <summary>A whole processor: clusters, their NoC and the simulated clock that orders everything.</summary>
public interface IProcessor : IDisposable
{
    ProcessorSpec Spec { get; }

    IReadOnlyList<ICluster> Clusters { get; }

    /// <summary>The event scheduler; it is also the processor's clock.</summary>
    EventScheduler Scheduler { get; }

    IClock Clock { get; }

    INoc Noc { get; }

    /// <summary>The cluster with that name (IO0, CC5…), ignoring case; an unknown name throws with the valid ones.</summary>
    ICluster Cluster(string name);
}
