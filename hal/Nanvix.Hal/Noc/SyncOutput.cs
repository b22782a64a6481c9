namespace Nanvix.Hal.Noc;

/// <summary>The signalling side of a sync point; it keeps its own copy of the node list, which names the point.</summary>
internal sealed class SyncOutput : NocEndpoint, ISyncOutput
{
    private readonly SyncNetwork _network;

    public SyncOutput(SyncNetwork network, int localNode, int[] nodes, SyncMode mode)
        : base(localNode, "sync output")
    {
        _network = network;
        Nodes = nodes;
        Mode = mode;
    }

    /// <inheritdoc/>
    public SyncMode Mode { get; }

    /// <summary>The nodes of the sync point, nodes[0] first; never changed.</summary>
    internal int[] Nodes { get; }

    /// <inheritdoc/>
    public void Signal()
    {
        ThrowIfClosed();
        _network.Signal(this);
    }

    protected override void OnClosed()
    {
    }
}
