namespace Nanvix.Hal.Noc;

/// <summary>
/// The waiting side of a sync point. One-to-all: each signal from nodes[0] is one release. All-to-one: signals are
/// counted per signaller; a release happens when every signaller has at least one counted, and takes one from each,
/// so a signaller that runs ahead into the next round is not lost.
/// </summary>
internal sealed class SyncInput : NocEndpoint, ISyncInput
{
    private readonly SyncNetwork _network;
    private readonly int[] _nodes;
    private readonly int[] _signals;
    private int _releases;

    public SyncInput(SyncNetwork network, int localNode, int[] nodes, SyncMode mode)
        : base(localNode, "sync input")
    {
        _network = network;
        _nodes = nodes;
        _signals = new int[nodes.Length];
        Mode = mode;
    }

    /// <inheritdoc/>
    public SyncMode Mode { get; }

    /// <summary>True when this input belongs to the sync point of <paramref name="mode"/> over <paramref name="nodes"/>.</summary>
    internal bool Matches(SyncMode mode, ReadOnlySpan<int> nodes) =>
        mode == Mode && nodes.SequenceEqual(_nodes);

    /// <inheritdoc/>
    public bool TryWait()
    {
        ThrowIfClosed();
        if (_releases == 0)
        {
            return false;
        }

        _releases--;
        return true;
    }

    /// <summary>Counts a signal from <paramref name="source"/>; true when it released the sync point.</summary>
    internal bool Receive(int source)
    {
        if (Mode == SyncMode.OneToAll)
        {
            _releases++;
            return true;
        }

        for (int i = 1; i < _nodes.Length; i++)
        {
            if (_nodes[i] == source)
            {
                _signals[i]++;
            }
        }

        for (int i = 1; i < _nodes.Length; i++)
        {
            if (_signals[i] == 0)
            {
                return false;
            }
        }

        for (int i = 1; i < _nodes.Length; i++)
        {
            _signals[i]--;
        }

        _releases++;
        return true;
    }

    protected override void OnClosed() => _network.OnClosed(this);
}
