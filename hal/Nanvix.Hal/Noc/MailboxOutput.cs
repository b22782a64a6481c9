namespace Nanvix.Hal.Noc;

/// <summary>A mailbox output from one node to another; it holds no state of its own beyond the pair.</summary>
internal sealed class MailboxOutput : NocEndpoint, IMailboxOutput
{
    public MailboxOutput(NetworkOnChip noc, int localNode, int remoteNode)
        : base(noc, localNode, "mailbox output")
    {
        RemoteNode = remoteNode;
    }

    /// <inheritdoc/>
    public int RemoteNode { get; }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        return Noc.WriteMailbox(this, payload);
    }

    /// <inheritdoc/>
    public bool IsReceiverFull => Noc.IsMailboxFull(RemoteNode);

    protected override void OnClosed()
    {
    }
}
