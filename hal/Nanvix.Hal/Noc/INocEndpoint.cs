using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// One end of a NoC connector, bound to a local node. Disposing closes it; any later use throws a
/// <see cref="NocException"/> that names the endpoint.
/// </summary>
public interface INocEndpoint : IDisposable
{
    /// <summary>The node this endpoint belongs to.</summary>
    int LocalNode { get; }

    /// <summary>True once closed.</summary>
    bool IsClosed { get; }

    /// <summary>
    /// Asks to be told when something completes at this endpoint (a message or a portal transfer arrives, a write is
    /// delivered, a sync point is released): <paramref name="target"/> gets an event with <paramref name="argument"/>
    /// at that cycle. One listener per endpoint; null removes it.
    /// </summary>
    void Notify(IEventTarget? target, long argument);
}
