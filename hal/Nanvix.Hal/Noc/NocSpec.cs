namespace Nanvix.Hal.Noc;

/// <summary>The NoC of a processor: its topology, both timing models, and the message formats of its connectors.</summary>
/// <param name="Topology">Routers, links and where each node attaches.</param>
/// <param name="Hardware">Parameters of the hardware timing mode.</param>
/// <param name="Nanvix">Parameters of the nanvix timing mode.</param>
/// <param name="MailboxPayloadBytes">Largest payload of one mailbox message.</param>
/// <param name="MailboxHeaderBytes">Header of one mailbox message; a message on the wire is header plus the full payload slot.</param>
/// <param name="PortalChunkBytes">Largest payload of one portal packet; longer writes are split in chunks of this size.</param>
/// <param name="SyncSignalBytes">Payload of one sync signal on the control network.</param>
public sealed record NocSpec(
    NocTopology Topology,
    HardwareTiming Hardware,
    NanvixTiming Nanvix,
    int MailboxPayloadBytes,
    int MailboxHeaderBytes,
    int PortalChunkBytes,
    int SyncSignalBytes)
{
    /// <summary>A mailbox message on the wire: header plus the whole payload slot, used or not.</summary>
    public int MailboxMessageBytes => MailboxHeaderBytes + MailboxPayloadBytes;
}
