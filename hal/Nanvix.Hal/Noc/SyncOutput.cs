namespace Nanvix.Hal.Noc;

/// <summary>The signalling side of a sync point; it keeps its own copy of the node list, which names the point.</summary>
internal sealed class SyncOutput : NocEndpoint, ISyncOutput
{
    public SyncOutput(NetworkOnChip noc, int localNode, int[] nodes, SyncMode mode)
        : base(noc, localNode, "sync output")
    {
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
        Noc.Signal(this);
    }

    protected override void OnClosed()
    {
    }
}
