namespace Nanvix.Hal.Noc;

/// <summary>What the NoC knows of one transfer: who, how much, how far, and when.</summary>
/// <param name="Id">Number of the transfer, from 0 in the order they were posted.</param>
/// <param name="Kind">Mailbox, portal or sync.</param>
/// <param name="Source">NoC node that sent it.</param>
/// <param name="Target">NoC node that receives it.</param>
/// <param name="Bytes">Payload bytes the sender asked to move.</param>
/// <param name="WireBytes">Bytes on the wire: payloads plus one header per packet.</param>
/// <param name="Packets">Packets the payload was split into.</param>
/// <param name="Hops">Links crossed from source to target.</param>
/// <param name="Posted">Cycle the sender posted it.</param>
/// <param name="Start">Cycle it left the source (later than <paramref name="Posted"/> when it waited for an allow or a link).</param>
/// <param name="End">Cycle it arrived.</param>
/// <param name="State">Where it stands.</param>
public readonly record struct TransferRecord(
    int Id,
    TransferKind Kind,
    int Source,
    int Target,
    int Bytes,
    int WireBytes,
    int Packets,
    int Hops,
    ulong Posted,
    ulong Start,
    ulong End,
    TransferState State)
{
    /// <summary>Cycles from leaving the source to arriving.</summary>
    public ulong Duration => End - Start;
}
