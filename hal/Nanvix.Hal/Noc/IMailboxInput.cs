namespace Nanvix.Hal.Noc;

/// <summary>The receiving end of a node's mailbox: messages from any sender, FIFO per sender.</summary>
public interface IMailboxInput : INocEndpoint
{
    /// <summary>Messages that have arrived and not been read.</summary>
    int Available { get; }

    /// <summary>
    /// Takes the oldest arrived message, copying its payload into <paramref name="payload"/> (which must hold the
    /// message). False when none has arrived yet.
    /// </summary>
    bool TryRead(Span<byte> payload, out MailboxMessage message);
}
