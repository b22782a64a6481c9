using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Noc;

/// <summary>
/// A node's portal input on one channel: at most one outstanding allow (which sender, where, how much) and the last completed write.
/// The allow stays outstanding while the matched write is on the wires, and is consumed when it lands.
/// </summary>
internal sealed class PortalInput : NocEndpoint, IPortalInput
{
    private readonly PortalNetwork _network;
    private bool _allowed;
    private bool _completed;
    private int _completedBytes;
    private int _completedId;

    public PortalInput(PortalNetwork network, int localNode, int channel, ClusterMemory memory)
        : base(localNode, PortalNetwork.EndName("portal input", channel))
    {
        _network = network;
        Channel = channel;
        Memory = memory;
    }

    /// <inheritdoc/>
    public int Channel { get; }

    /// <summary>The memory of this node's cluster, where allowed buffers lie.</summary>
    internal ClusterMemory Memory { get; }

    /// <summary>The sender the outstanding allow is for.</summary>
    internal int AllowedSource { get; private set; }

    /// <summary>Where the allowed write lands, in order (one segment for a plain buffer).</summary>
    internal MemorySegmentList Destination { get; } = new();

    /// <summary>The most the allowed write may carry: the sum of the destination's lengths.</summary>
    internal int Capacity => Destination.TotalBytes;

    /// <summary>The write that took the outstanding allow, or -1 while none did.</summary>
    internal int MatchedTransfer { get; private set; } = -1;

    /// <summary>True while an allow is outstanding (taken by a write or not); unlike <see cref="IsAllowed"/> it works on a closed input.</summary>
    internal bool HasAllow => _allowed;

    /// <summary>True while an allow for <paramref name="source"/> is outstanding and no write has taken it.</summary>
    internal bool IsOpenFor(int source) => _allowed && MatchedTransfer < 0 && AllowedSource == source;

    /// <inheritdoc/>
    public bool IsAllowed
    {
        get
        {
            ThrowIfClosed();
            return _allowed;
        }
    }

    /// <inheritdoc/>
    public void Allow(int remoteNode, ulong bufferOffset, int capacity)
    {
        ThrowIfClosed();
        var segment = new MemorySegment(bufferOffset, capacity);
        _network.Allow(this, remoteNode, new ReadOnlySpan<MemorySegment>(in segment));
    }

    /// <inheritdoc/>
    public void Allow(int remoteNode, ReadOnlySpan<MemorySegment> destination)
    {
        ThrowIfClosed();
        _network.Allow(this, remoteNode, destination);
    }

    /// <inheritdoc/>
    public bool Revoke()
    {
        ThrowIfClosed();
        if (!_allowed || MatchedTransfer >= 0)
        {
            return false;
        }

        _allowed = false;
        Destination.Clear();
        return true;
    }

    /// <inheritdoc/>
    public bool TryComplete(out int bytes, out int transferId)
    {
        ThrowIfClosed();
        bytes = _completedBytes;
        transferId = _completedId;
        bool completed = _completed;
        _completed = false;
        return completed;
    }

    /// <summary>Records an allow into a copy of <paramref name="destination"/>; the NoC checked it.</summary>
    internal void Open(int source, ReadOnlySpan<MemorySegment> destination, int capacity)
    {
        _allowed = true;
        AllowedSource = source;
        Destination.Set(destination, capacity);
        MatchedTransfer = -1;
    }

    /// <summary>A write took the outstanding allow.</summary>
    internal void Match(int transferId) => MatchedTransfer = transferId;

    /// <summary>
    /// The matched write landed (<paramref name="bytes"/> of it, or -1 when it was lost on the wires): the allow is
    /// consumed and the completion is there to be taken.
    /// </summary>
    internal void Complete(int bytes, int transferId)
    {
        _allowed = false;
        Destination.Clear();
        MatchedTransfer = -1;
        _completed = true;
        _completedBytes = bytes;
        _completedId = transferId;
    }

    protected override void OnClosed() => _network.OnClosed(this);
}
