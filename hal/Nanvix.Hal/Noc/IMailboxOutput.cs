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
}
