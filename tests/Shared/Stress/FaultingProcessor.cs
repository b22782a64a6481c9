using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>A processor whose NoC is a <see cref="FaultingNoc"/>; the rest is the real processor's.</summary>
internal sealed class FaultingProcessor(IProcessor inner) : IProcessor
{
    public FaultingNoc FaultingNoc { get; } = new(inner.Noc);

    public ProcessorSpec Spec => inner.Spec;

    public IReadOnlyList<ICluster> Clusters => inner.Clusters;

    public EventScheduler Scheduler => inner.Scheduler;

    public IClock Clock => inner.Clock;

    public INoc Noc => FaultingNoc;

    public ICluster Cluster(string name) => inner.Cluster(name);

    public void Dispose() => inner.Dispose();
}
