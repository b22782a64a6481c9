using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// What the mailbox, portal and sync networks share: the NoC's spec and log of transfers, and the one way a posted
/// transfer goes on the wires and comes off them. <see cref="Launch"/> times it with the timing model, lets an armed
/// fault take it and schedules its arrival as an event of this network; the event closes its record in the log and
/// hands it to the network's <see cref="Arrive"/>.
/// </summary>
internal abstract class ConnectorNetwork : IEventTarget
{
    private readonly EventScheduler _scheduler;
    private readonly NocTimingModel _timing;
    private readonly FaultInjector _faults;
    private readonly string _arrivalLabel;

    /// <param name="spec">Topology, timing parameters and message formats.</param>
    /// <param name="scheduler">The processor's clock; every arrival is one of its events.</param>
    /// <param name="log">The NoC's log, shared by every network.</param>
    /// <param name="timing">The NoC's timing model, shared by every network (links are shared).</param>
    /// <param name="faults">The NoC's armed faults.</param>
    /// <param name="arrivalLabel">Scheduler label of this network's arrivals.</param>
    protected ConnectorNetwork(
        NocSpec spec, EventScheduler scheduler, TransferLog log, NocTimingModel timing, FaultInjector faults, string arrivalLabel)
    {
        Spec = spec;
        Topology = spec.Topology;
        Log = log;
        _scheduler = scheduler;
        _timing = timing;
        _faults = faults;
        _arrivalLabel = arrivalLabel;
    }

    /// <summary>Topology, timing parameters and message formats.</summary>
    protected NocSpec Spec { get; }

    /// <summary>The nodes that ends may name.</summary>
    protected NocTopology Topology { get; }

    /// <summary>Where transfers are posted and their ends kept until they arrive.</summary>
    protected TransferLog Log { get; }

    /// <summary>Arrival of a transfer: closes its record, then finishes it at its receiver.</summary>
    [KernelHotPath]
    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        int id = (int)argument;
        TransferRecord record = Log.Arrive(id, out TransferEnds ends);
        Arrive(id, record, ends, cycle);
    }

    /// <summary>Starts transfer <paramref name="id"/> now: computes when it leaves and arrives, and schedules the arrival.</summary>
    [KernelHotPath]
    protected void Launch(int id)
    {
        TransferRecord record = Log.Record(id);
        ulong end = _timing.Arrival(record, _scheduler.Now, out ulong start);
        Log.Record(id) = record with { Start = start, End = end, State = TransferState.InFlight };
        if (_faults.Pending > 0)
        {
            ref TransferEnds ends = ref Log.Ends(id);
            ends.Faulted = _faults.Take(record.Kind, record.Source, record.Target, ends.PortalOutput?.Channel ?? -1);
        }

        _scheduler.Schedule(end, this, id, _arrivalLabel);
    }

    /// <summary>
    /// Finishes transfer <paramref name="id"/> at its receiver at <paramref name="cycle"/> (its record already closed in
    /// the log): <paramref name="record"/> as it was in flight, <paramref name="ends"/> what it connected.
    /// </summary>
    protected abstract void Arrive(int id, in TransferRecord record, in TransferEnds ends, ulong cycle);
}
