using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>A kernel-channel portal output that asks <see cref="FaultingNoc"/>, before each write, whether this region of a move is to be lost.</summary>
internal sealed class FaultingPortalOutput(IPortalOutput inner, FaultingNoc noc) : IPortalOutput
{
    public int RemoteNode => inner.RemoteNode;

    public int Channel => inner.Channel;

    public bool IsBusy => inner.IsBusy;

    public int LocalNode => inner.LocalNode;

    public bool IsClosed => inner.IsClosed;

    public int Write(ulong sourceOffset, int size)
    {
        noc.BeforeRegion(inner.LocalNode, inner.RemoteNode);
        return inner.Write(sourceOffset, size);
    }

    public int Write(ReadOnlySpan<MemorySegment> source)
    {
        noc.BeforeRegion(inner.LocalNode, inner.RemoteNode);
        return inner.Write(source);
    }

    public bool Withdraw() => inner.Withdraw();

    public void Notify(IEventTarget? target, long argument) => inner.Notify(target, argument);

    public void Dispose() => inner.Dispose();
}
