namespace Nanvix.Hal.Noc;

/// <summary>
/// Turns transfers into cycles in one <see cref="NocTimingMode"/>: the cost of a transfer alone on the network
/// (<see cref="ModelCycles"/>), and for each transfer launched the cycle it leaves its source and the cycle it arrives
/// (<see cref="Arrival"/>). It owns what the arrival of a later transfer depends on: the links' reservations in the
/// hardware mode, and in every mode the last arrival of each (sender, receiver) pair of mailboxes, which keeps their
/// messages in order.
/// </summary>
internal abstract class NocTimingModel
{
    private readonly int _nodeCount;
    private readonly ulong[] _lastMailboxArrival;

    protected NocTimingModel(NocSpec spec)
    {
        Spec = spec;
        _nodeCount = spec.Topology.NodeCount;
        _lastMailboxArrival = new ulong[_nodeCount * _nodeCount];
    }

    /// <summary>Topology, timing parameters and message formats.</summary>
    protected NocSpec Spec { get; }

    /// <summary>The model of <paramref name="mode"/> over <paramref name="spec"/>.</summary>
    public static NocTimingModel Of(NocTimingMode mode, NocSpec spec) =>
        mode == NocTimingMode.Hardware ? new HardwareTimingModel(spec) : new NanvixTimingModel(spec);

    /// <summary>Cycles a transfer of <paramref name="kind"/> carrying <paramref name="bytes"/> over <paramref name="hops"/> links takes alone on the network.</summary>
    public abstract ulong ModelCycles(TransferKind kind, int bytes, int hops);

    /// <summary>
    /// Times <paramref name="record"/>, launched at <paramref name="now"/>: returns the cycle it arrives and in
    /// <paramref name="start"/> the cycle it leaves its source, and takes what it holds (links, its pair's order).
    /// </summary>
    [KernelHotPath]
    public ulong Arrival(in TransferRecord record, ulong now, out ulong start)
    {
        start = now;
        ulong end = Travel(record, ref start);
        if (record.Kind == TransferKind.Mailbox)
        {
            // FIFO per sender and receiver in every mode: never arrive before the pair's previous message.
            ref ulong last = ref _lastMailboxArrival[(record.Source * _nodeCount) + record.Target];
            end = Math.Max(end, last);
            last = end;
        }

        return end;
    }

    /// <summary>
    /// The mode's own part of <see cref="Arrival"/>: the arrival cycle of <paramref name="record"/> leaving no earlier
    /// than <paramref name="start"/>, which it moves later when the transfer must wait.
    /// </summary>
    protected abstract ulong Travel(in TransferRecord record, ref ulong start);
}
