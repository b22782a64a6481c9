using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>A mailbox output that asks <see cref="FaultingNoc"/>, before each message, whether this migration message is to be lost.</summary>
internal sealed class FaultingMailboxOutput(IMailboxOutput inner, FaultingNoc noc) : IMailboxOutput
{
    public int RemoteNode => inner.RemoteNode;

    public bool IsReceiverFull => inner.IsReceiverFull;

    public int LocalNode => inner.LocalNode;

    public bool IsClosed => inner.IsClosed;

    public int Write(ReadOnlySpan<byte> payload)
    {
        noc.BeforeMessage(inner.LocalNode, inner.RemoteNode, payload);
        return inner.Write(payload);
    }

    public void Notify(IEventTarget? target, long argument) => inner.Notify(target, argument);

    public void Dispose() => inner.Dispose();
}
