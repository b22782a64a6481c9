using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// The sync points: it owns each node's open sync inputs and the signals that reached a node before a matching input
/// was open there, and a signal's path, from the output (one packet per destination, launched) to the arrival (counted
/// by the matching input open at the destination, or kept there for the next one created).
/// </summary>
internal sealed class SyncNetwork : ConnectorNetwork
{
    private readonly List<SyncInput>[] _inputsOf;
    private readonly List<PendingSignal>[] _pendingSignalsAt;

    public SyncNetwork(NocSpec spec, EventScheduler scheduler, TransferLog log, NocTimingModel timing, FaultInjector faults)
        : base(spec, scheduler, log, timing, faults, NetworkOnChip.SyncArrivalLabel)
    {
        int nodeCount = Topology.NodeCount;
        _inputsOf = new List<SyncInput>[nodeCount];
        _pendingSignalsAt = new List<PendingSignal>[nodeCount];
        for (int node = 0; node < nodeCount; node++)
        {
            _inputsOf[node] = [];
            _pendingSignalsAt[node] = [];
        }
    }

    /// <summary>The waiting side of a sync point over <paramref name="nodes"/>; it counts at once the signals kept for it.</summary>
    public SyncInput Create(int localNode, ReadOnlySpan<int> nodes, SyncMode mode)
    {
        Topology.CheckNode(localNode);
        int[] list = CheckNodes(nodes);
        bool waits = mode == SyncMode.AllToOne ? list[0] == localNode : IsSignallerOrWaiter(list, localNode);
        if (!waits)
        {
            throw new NocException(
                $"node {localNode} cannot create the input of {Describe(mode, list)}: {RoleRule(mode)}");
        }

        List<SyncInput> open = _inputsOf[localNode];
        foreach (SyncInput existing in open)
        {
            if (existing.Matches(mode, list))
            {
                throw new NocException($"node {localNode} already has an open input of {Describe(mode, list)}");
            }
        }

        var input = new SyncInput(this, localNode, list, mode);
        open.Add(input);

        // Signals that arrived before this input existed count now, in their arrival order.
        List<PendingSignal> pending = _pendingSignalsAt[localNode];
        for (int i = 0; i < pending.Count;)
        {
            if (input.Matches(pending[i].Mode, pending[i].Nodes))
            {
                input.Receive(pending[i].Source);
                pending.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }

        return input;
    }

    /// <summary>The signalling side of a sync point over <paramref name="nodes"/>.</summary>
    public SyncOutput Open(int localNode, ReadOnlySpan<int> nodes, SyncMode mode)
    {
        Topology.CheckNode(localNode);
        int[] list = CheckNodes(nodes);
        bool signals = mode == SyncMode.OneToAll ? list[0] == localNode : IsSignallerOrWaiter(list, localNode);
        if (!signals)
        {
            throw new NocException(
                $"node {localNode} cannot open the output of {Describe(mode, list)}: {RoleRule(mode)}");
        }

        return new SyncOutput(this, localNode, list, mode);
    }

    /// <summary>Posts and launches one signal of <paramref name="output"/> to each node that waits on it, in list order.</summary>
    [KernelHotPath]
    internal void Signal(SyncOutput output)
    {
        int[] nodes = output.Nodes;
        if (output.Mode == SyncMode.AllToOne)
        {
            Post(output, nodes[0]);
            return;
        }

        for (int i = 1; i < nodes.Length; i++)
        {
            Post(output, nodes[i]);
        }
    }

    /// <summary>Forgets a closed input and the signals it had counted.</summary>
    internal void OnClosed(SyncInput input) => _inputsOf[input.LocalNode].Remove(input);

    /// <inheritdoc/>
    [KernelHotPath]
    protected override void Arrive(int id, in TransferRecord record, in TransferEnds ends, ulong cycle)
    {
        SyncOutput output = ends.Sync!;
        List<SyncInput> open = _inputsOf[record.Target];
        for (int i = 0; i < open.Count; i++)
        {
            SyncInput input = open[i];
            if (input.Matches(output.Mode, output.Nodes))
            {
                if (input.Receive(record.Source))
                {
                    input.Raise(cycle);
                }

                return;
            }
        }

        _pendingSignalsAt[record.Target].Add(new PendingSignal(output.Mode, output.Nodes, record.Source));
    }

    /// <summary>True when <paramref name="node"/> is one of nodes[1..], the many side of a sync point.</summary>
    private static bool IsSignallerOrWaiter(int[] nodes, int node)
    {
        for (int i = 1; i < nodes.Length; i++)
        {
            if (nodes[i] == node)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(SyncMode mode, int[] nodes) =>
        $"the {(mode == SyncMode.OneToAll ? "one-to-all" : "all-to-one")} sync point over [{string.Join(", ", nodes)}]";

    private static string RoleRule(SyncMode mode) => mode == SyncMode.OneToAll
        ? "in one-to-all the first node signals and every other node waits"
        : "in all-to-one the first node waits and every other node signals";

    private void Post(SyncOutput output, int target)
    {
        int id = Log.Post(TransferKind.Sync, output.LocalNode, target, Spec.SyncSignalBytes, Spec.SyncSignalBytes + Spec.Hardware.PacketHeaderBytes, 1);
        Log.Ends(id).Sync = output;
        Launch(id);
    }

    /// <summary>Checks a sync point's node list (2 or more distinct valid nodes) and returns a private copy.</summary>
    private int[] CheckNodes(ReadOnlySpan<int> nodes)
    {
        if (nodes.Length < 2)
        {
            throw new NocException($"a sync point needs at least 2 nodes, {nodes.Length} given");
        }

        for (int i = 0; i < nodes.Length; i++)
        {
            Topology.CheckNode(nodes[i]);
            for (int j = 0; j < i; j++)
            {
                if (nodes[j] == nodes[i])
                {
                    throw new NocException($"node {nodes[i]} appears twice in the node list of a sync point");
                }
            }
        }

        return nodes.ToArray();
    }
}
