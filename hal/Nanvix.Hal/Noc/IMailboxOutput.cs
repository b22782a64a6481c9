namespace Nanvix.Hal.Noc;

/// <summary>The sending end of a mailbox: writes messages to one remote node.</summary>
public interface IMailboxOutput : INocEndpoint
{
    int RemoteNode { get; }

    /// <summary>
    /// Posts one message now; returns the transfer's id. A payload larger than the machine's mailbox payload, or a
    /// full receiver queue, throws a <see cref="NocException"/> and sends nothing.
    /// </summary>
    int Write(ReadOnlySpan<byte> payload);

    /// <summary>
    /// True when the remote node's mailbox has no free slot now (every slot holds a message in flight or unread), so a
    /// write would be refused; the sender may try again once the receiver has read. False when it has room, or no input.
    /// </summary>
    bool IsReceiverFull { get; }
}
