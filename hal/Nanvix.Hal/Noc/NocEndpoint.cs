using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// What every connector end of <see cref="NetworkOnChip"/> shares: its node, its closed flag and its one listener.
/// Closing is final; any later use throws a <see cref="NocException"/> naming the end ("mailbox input of node 8 is
/// closed") so that a kernel bug shows where it is rather than as lost data.
/// </summary>
internal abstract class NocEndpoint : INocEndpoint
{
    private readonly string _kind;
    private IEventTarget? _listener;
    private long _argument;

    protected NocEndpoint(int localNode, string kind)
    {
        LocalNode = localNode;
        _kind = kind;
    }

    /// <inheritdoc/>
    public int LocalNode { get; }

    /// <inheritdoc/>
    public bool IsClosed { get; private set; }

    /// <inheritdoc/>
    public void Notify(IEventTarget? target, long argument)
    {
        ThrowIfClosed();
        _listener = target;
        _argument = argument;
    }

    /// <summary>Closes the end. Closing twice is harmless; using it afterwards is not.</summary>
    public void Dispose()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        _listener = null;
        OnClosed();
    }

    public override string ToString() => $"{_kind} of node {LocalNode}";

    /// <summary>Tells the listener, if any, that something completed here at <paramref name="cycle"/>.</summary>
    internal void Raise(ulong cycle) => _listener?.OnEvent(cycle, _argument);

    /// <summary>Throws the "is closed" error every operation of a closed end gives.</summary>
    internal void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new NocException($"{_kind} of node {LocalNode} is closed");
        }
    }

    /// <summary>Lets the end's network forget it (free the node's input slot, cancel a waiting write).</summary>
    protected abstract void OnClosed();
}
