namespace Nanvix.Hal.Noc;

/// <summary>A mailbox output from one node to another; it holds no state of its own beyond the pair.</summary>
internal sealed class MailboxOutput : NocEndpoint, IMailboxOutput
{
    private readonly MailboxNetwork _network;

    public MailboxOutput(MailboxNetwork network, int localNode, int remoteNode)
        : base(localNode, "mailbox output")
    {
        _network = network;
        RemoteNode = remoteNode;
    }

    /// <inheritdoc/>
    public int RemoteNode { get; }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        return _network.Write(this, payload);
    }

    /// <inheritdoc/>
    public bool IsReceiverFull => _network.IsFull(RemoteNode);

    protected override void OnClosed()
    {
    }
}
