namespace Nanvix.Hal.Noc;

/// <summary>
/// What the NoC must remember of one transfer besides its public <see cref="TransferRecord"/> to finish it at the
/// arrival event: which endpoint objects it connects (captured at posting, so that a message to an input that was
/// closed and re-created meanwhile is dropped instead of landing in the new one) and where its data sits. A portal
/// write's segment lists stay in its two endpoints, which hold one outstanding operation each, so they cost nothing
/// here. One of these per transfer, in an array parallel to the records.
/// </summary>
internal struct TransferEnds
{
    /// <summary>Mailbox transfers: the input whose slot holds the payload.</summary>
    public MailboxInput? Mailbox;

    /// <summary>Mailbox transfers: the slot of <see cref="Mailbox"/> that holds the payload.</summary>
    public int Slot;

    /// <summary>Portal transfers: the input whose allow this write consumes (null while the write waits).</summary>
    public PortalInput? PortalInput;

    /// <summary>Portal transfers: the output that posted the write; its <see cref="PortalOutput.Source"/> says where the data is read.</summary>
    public PortalOutput? PortalOutput;

    /// <summary>Sync transfers: the output that signalled; it names the sync point (mode and node list).</summary>
    public SyncOutput? Sync;

    /// <summary>An armed fault took this transfer at its launch: it arrives <see cref="TransferState.Failed"/>.</summary>
    public bool Faulted;
}
