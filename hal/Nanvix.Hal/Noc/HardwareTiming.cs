namespace Nanvix.Hal.Noc;

/// <summary>
/// Parameters of the hardware timing mode. A packet of P payload bytes over H links, alone on the network, takes
/// <c>H * HopLatencyCycles + ceil((P + PacketHeaderBytes) / LinkBytesPerCycle)</c> cycles (wormhole switching: the
/// head pays the per-hop latency, the body streams behind it at link bandwidth).
/// </summary>
/// <param name="HopLatencyCycles">Cycles for a packet head to cross one router and link.</param>
/// <param name="LinkBytesPerCycle">Bytes a link carries per cycle.</param>
/// <param name="PacketHeaderBytes">Bytes of header every packet carries on the wire besides its payload.</param>
public sealed record HardwareTiming(int HopLatencyCycles, int LinkBytesPerCycle, int PacketHeaderBytes)
{
    /// <summary>Cycles a packet of <paramref name="payloadBytes"/> occupies one link (its serialization time).</summary>
    public ulong SerializationCycles(int payloadBytes) =>
        (ulong)((payloadBytes + PacketHeaderBytes + LinkBytesPerCycle - 1) / LinkBytesPerCycle);
}
