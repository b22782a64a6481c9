namespace Nanvix.Hal.Noc;

/// <summary>
/// The hardware timing mode: wormhole packets over the routed links, each directed link reserved first come, first
/// served. It owns the busy-until cycle of every link of the data network (mailbox and portal transfers) and of the
/// control network (sync signals), and the serialization math of each kind of transfer.
/// </summary>
internal sealed class HardwareTimingModel : NocTimingModel
{
    private readonly NocTopology _topology;
    private readonly ulong[] _dataBusyUntil;
    private readonly ulong[] _controlBusyUntil;

    public HardwareTimingModel(NocSpec spec)
        : base(spec)
    {
        _topology = spec.Topology;
        _dataBusyUntil = new ulong[_topology.LinkCount];
        _controlBusyUntil = new ulong[_topology.LinkCount];
    }

    /// <inheritdoc/>
    public override ulong ModelCycles(TransferKind kind, int bytes, int hops) =>
        ((ulong)hops * (ulong)Spec.Hardware.HopLatencyCycles) + SerializationCycles(kind, bytes);

    /// <inheritdoc/>
    [KernelHotPath]
    protected override ulong Travel(in TransferRecord record, ref ulong start)
    {
        Span<int> route = stackalloc int[_topology.MaxRouteLength];
        int hops = _topology.Route(record.Source, record.Target, route);
        ulong[] busyUntil = record.Kind == TransferKind.Sync ? _controlBusyUntil : _dataBusyUntil;
        return Reserve(busyUntil, route[..hops], SerializationCycles(record.Kind, record.Bytes), ref start);
    }

    /// <summary>
    /// First-come link reservation along <paramref name="route"/>: the head enters link k at start + k hops, so the
    /// start is the first cycle at which every link is free by the time the head reaches it; each link is then held
    /// for the whole serialization. Returns the arrival cycle.
    /// </summary>
    private ulong Reserve(ulong[] busyUntil, ReadOnlySpan<int> route, ulong serialization, ref ulong start)
    {
        ulong hop = (ulong)Spec.Hardware.HopLatencyCycles;
        for (int k = 0; k < route.Length; k++)
        {
            ulong entry = (ulong)k * hop;
            ulong free = busyUntil[route[k]];
            if (free > entry && free - entry > start)
            {
                start = free - entry;
            }
        }

        for (int k = 0; k < route.Length; k++)
        {
            busyUntil[route[k]] = start + ((ulong)k * hop) + serialization;
        }

        return start + ((ulong)route.Length * hop) + serialization;
    }

    /// <summary>Cycles the packets of a transfer occupy one link, all together.</summary>
    private ulong SerializationCycles(TransferKind kind, int bytes)
    {
        HardwareTiming hardware = Spec.Hardware;
        switch (kind)
        {
            case TransferKind.Mailbox:
                // The whole payload slot travels, used or not.
                return hardware.SerializationCycles(Spec.MailboxPayloadBytes);
            case TransferKind.Sync:
                return hardware.SerializationCycles(Spec.SyncSignalBytes);
            default:
                int chunk = Spec.PortalChunkBytes;
                int fullChunks = bytes / chunk;
                int rest = bytes - (fullChunks * chunk);
                ulong cycles = (ulong)fullChunks * hardware.SerializationCycles(chunk);
                return rest > 0 || fullChunks == 0 ? cycles + hardware.SerializationCycles(rest) : cycles;
        }
    }
}
