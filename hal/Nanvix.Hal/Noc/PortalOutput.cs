using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Noc;

/// <summary>A portal output from one node to another on one channel: at most one write outstanding (waiting or on the wires).</summary>
internal sealed class PortalOutput : NocEndpoint, IPortalOutput
{
    private readonly PortalNetwork _network;

    public PortalOutput(PortalNetwork network, int localNode, int remoteNode, int channel, ClusterMemory memory)
        : base(localNode, PortalNetwork.EndName("portal output", channel))
    {
        _network = network;
        RemoteNode = remoteNode;
        Channel = channel;
        Memory = memory;
    }

    /// <inheritdoc/>
    public int RemoteNode { get; }

    /// <inheritdoc/>
    public int Channel { get; }

    /// <summary>The memory of this node's cluster, where written buffers are read.</summary>
    internal ClusterMemory Memory { get; }

    /// <summary>Where the outstanding write's data is read, in order; valid while <see cref="PendingTransfer"/> is set.</summary>
    internal MemorySegmentList Source { get; } = new();

    /// <summary>The outstanding write, or -1.</summary>
    internal int PendingTransfer { get; set; } = -1;

    /// <inheritdoc/>
    public bool IsBusy
    {
        get
        {
            ThrowIfClosed();
            return PendingTransfer >= 0;
        }
    }

    /// <inheritdoc/>
    public bool Withdraw()
    {
        ThrowIfClosed();
        return _network.Withdraw(this);
    }

    /// <inheritdoc/>
    public int Write(ulong sourceOffset, int size)
    {
        ThrowIfClosed();
        var segment = new MemorySegment(sourceOffset, size);
        return _network.Write(this, new ReadOnlySpan<MemorySegment>(in segment));
    }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<MemorySegment> source)
    {
        ThrowIfClosed();
        return _network.Write(this, source);
    }

    protected override void OnClosed() => _network.OnClosed(this);
}
