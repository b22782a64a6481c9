using Nanvix.Hal.Memory;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// The portals: it owns the table of each node's open portal input per channel, the writes waiting for an allow at
/// each of them, and the memory of each node's cluster; and a write's path, from the write or the allow that matches
/// it (checked, launched) to the arrival (the data copied from the sender's segments into the allowed ones, or nothing
/// when a fault took it or the input was closed) and a waiting write's withdrawal.
/// </summary>
internal sealed class PortalNetwork : ConnectorNetwork
{
    private readonly ClusterMemory?[] _memoryOfNode;
    private readonly PortalInput?[] _inputOf;
    private readonly List<int>[] _waitingWritesTo;

    /// <param name="memoryOfNode">The memory of the cluster each node belongs to, indexed by node; the caller checked its length.</param>
    public PortalNetwork(
        NocSpec spec, EventScheduler scheduler, TransferLog log, NocTimingModel timing, FaultInjector faults, IReadOnlyList<ClusterMemory> memoryOfNode)
        : base(spec, scheduler, log, timing, faults, NetworkOnChip.PortalArrivalLabel)
    {
        int nodeCount = Topology.NodeCount;
        _memoryOfNode = new ClusterMemory?[nodeCount];
        for (int node = 0; node < nodeCount; node++)
        {
            _memoryOfNode[node] = memoryOfNode[node];
        }

        _inputOf = new PortalInput?[nodeCount * NetworkOnChip.PortalChannels];
        _waitingWritesTo = new List<int>[nodeCount * NetworkOnChip.PortalChannels];
        for (int port = 0; port < _waitingWritesTo.Length; port++)
        {
            _waitingWritesTo[port] = [];
        }
    }

    /// <summary>The portal input of <paramref name="localNode"/> on <paramref name="channel"/>; one per node and channel at a time.</summary>
    public PortalInput Create(int localNode, int channel)
    {
        Topology.CheckNode(localNode);
        CheckChannel(channel);
        int port = Port(localNode, channel);
        if (_inputOf[port] is not null)
        {
            throw new NocException($"node {localNode} already has an open portal input on channel {channel}");
        }

        var input = new PortalInput(this, localNode, channel, MemoryOf(localNode));
        _inputOf[port] = input;
        return input;
    }

    /// <summary>A portal output from <paramref name="localNode"/> to <paramref name="remoteNode"/> on <paramref name="channel"/>.</summary>
    public PortalOutput Open(int localNode, int remoteNode, int channel)
    {
        Topology.CheckNode(localNode);
        Topology.CheckNode(remoteNode);
        CheckChannel(channel);
        return new PortalOutput(this, localNode, remoteNode, channel, MemoryOf(localNode));
    }

    /// <summary>The name of a portal end in messages: the plain kind on channel 0, the channel named on the others.</summary>
    internal static string EndName(string kind, int channel) => channel == 0 ? kind : $"{kind} (channel {channel})";

    /// <summary>Opens an allow of <paramref name="input"/> for <paramref name="remoteNode"/>; the oldest write of that sender waiting for it starts now.</summary>
    internal void Allow(PortalInput input, int remoteNode, ReadOnlySpan<MemorySegment> destination)
    {
        int node = input.LocalNode;
        Topology.CheckNode(remoteNode);
        if (input.HasAllow)
        {
            throw new NocException($"{input} already has an outstanding allow (for node {input.AllowedSource})");
        }

        if (destination.Length is < 1 or > NetworkOnChip.MaxPortalSegments)
        {
            throw new NocException(
                $"{input}: cannot allow a list of {destination.Length} segments (1 to {NetworkOnChip.MaxPortalSegments})");
        }

        long total = SegmentStream.Bytes(destination, out int empty);
        if (empty >= 0)
        {
            throw new NocException(
                $"{input}: segment {empty} of {destination.Length} has {destination[empty].Length} bytes (each segment holds at least 1)");
        }

        if (total < 1 || total > int.MaxValue)
        {
            throw new NocException($"{input}: cannot allow {total} bytes (at least 1, at most {int.MaxValue})");
        }

        int capacity = (int)total;
        for (int i = 0; i < destination.Length; i++)
        {
            _ = input.Memory.Bytes(destination[i].Offset, destination[i].Length);
        }

        // The oldest write of that sender waiting for this node and channel, if any, starts now.
        List<int> waiting = _waitingWritesTo[Port(node, input.Channel)];
        int index = -1;
        for (int i = 0; i < waiting.Count; i++)
        {
            if (Log.Record(waiting[i]).Source == remoteNode)
            {
                index = i;
                break;
            }
        }

        if (index >= 0 && Log.Record(waiting[index]).Bytes > capacity)
        {
            throw new NocException(
                $"{input}: the write of {Log.Record(waiting[index]).Bytes} bytes waiting from node {remoteNode} does not fit the {capacity} bytes allowed");
        }

        input.Open(remoteNode, destination, capacity);
        if (index >= 0)
        {
            int id = waiting[index];
            waiting.RemoveAt(index);
            Log.Ends(id).PortalInput = input;
            input.Match(id);
            Launch(id);
        }
    }

    /// <summary>Posts a write of <paramref name="output"/>: launched now if the receiver allows it, otherwise left waiting; returns its transfer id.</summary>
    [KernelHotPath]
    internal int Write(PortalOutput output, ReadOnlySpan<MemorySegment> source)
    {
        int from = output.LocalNode;
        int target = output.RemoteNode;
        if (source.Length is < 1 or > NetworkOnChip.MaxPortalSegments)
        {
            throw new NocException(
                $"portal write from node {from} to node {target}: a list of {source.Length} segments (a write takes 1 to {NetworkOnChip.MaxPortalSegments})");
        }

        long total = SegmentStream.Bytes(source, out int empty);
        if (empty >= 0)
        {
            throw new NocException(
                $"portal write from node {from} to node {target}: segment {empty} of {source.Length} has {source[empty].Length} bytes (each segment holds at least 1)");
        }

        if (total < 1 || total > NetworkOnChip.MaxPortalWriteBytes)
        {
            throw new NocException(
                $"portal write of {total} bytes from node {from} to node {target}: a write moves 1 to {NetworkOnChip.MaxPortalWriteBytes} bytes");
        }

        int size = (int)total;
        if (output.PendingTransfer >= 0)
        {
            throw new NocException(
                $"portal output of node {from} to node {target} is busy with write {output.PendingTransfer}");
        }

        for (int i = 0; i < source.Length; i++)
        {
            _ = output.Memory.Bytes(source[i].Offset, source[i].Length);
        }

        int port = Port(target, output.Channel);
        PortalInput? input = _inputOf[port];
        bool allowed = input is not null && input.IsOpenFor(from);
        if (allowed && size > input!.Capacity)
        {
            throw new NocException(
                $"portal write of {size} bytes from node {from} does not fit the {input.Capacity} bytes node {target} allowed");
        }

        int chunk = Spec.PortalChunkBytes;
        int packets = (size + chunk - 1) / chunk;
        int id = Log.Post(TransferKind.Portal, from, target, size, size + (packets * Spec.Hardware.PacketHeaderBytes), packets);
        Log.Ends(id).PortalOutput = output;
        output.Source.Set(source, size);
        output.PendingTransfer = id;
        if (allowed)
        {
            Log.Ends(id).PortalInput = input;
            input!.Match(id);
            Launch(id);
        }
        else
        {
            _waitingWritesTo[port].Add(id);
        }

        return id;
    }

    /// <summary>Cancels the write of <paramref name="output"/> if it still waits for an allow; true when it did.</summary>
    internal bool Withdraw(PortalOutput output)
    {
        int id = output.PendingTransfer;
        if (id < 0 || Log.Record(id).State != TransferState.Waiting)
        {
            return false;
        }

        _waitingWritesTo[Port(output.RemoteNode, output.Channel)].Remove(id);
        Log.Cancel(id);
        output.PendingTransfer = -1;
        output.Source.Clear();
        return true;
    }

    /// <summary>Frees the node's input slot of a closed input (unless another input took it already).</summary>
    internal void OnClosed(PortalInput input)
    {
        int port = Port(input.LocalNode, input.Channel);
        if (_inputOf[port] == input)
        {
            _inputOf[port] = null;
        }
    }

    /// <summary>A closed output's waiting write is cancelled.</summary>
    internal void OnClosed(PortalOutput output) => Withdraw(output);

    /// <inheritdoc/>
    [KernelHotPath]
    protected override void Arrive(int id, in TransferRecord record, in TransferEnds ends, ulong cycle)
    {
        PortalInput? input = ends.PortalInput;
        PortalOutput output = ends.PortalOutput!;
        bool lands = input is not null && !input.IsClosed && input.MatchedTransfer == id;
        if (lands && ends.Faulted)
        {
            input!.Complete(-1, id);
        }
        else if (lands)
        {
            SegmentStream.Copy(output.Memory, output.Source.Items, input!.Memory, input.Destination.Items, record.Bytes);
            input.Complete(record.Bytes, id);
        }

        if (output.PendingTransfer == id)
        {
            output.PendingTransfer = -1;
            output.Source.Clear();
        }

        if (lands)
        {
            input!.Raise(cycle);
        }

        if (!output.IsClosed)
        {
            output.Raise(cycle);
        }
    }

    /// <summary>Index of a node's portal slot on <paramref name="channel"/> in the per-(node, channel) arrays.</summary>
    private static int Port(int node, int channel) => (node * NetworkOnChip.PortalChannels) + channel;

    private static void CheckChannel(int channel)
    {
        if ((uint)channel >= NetworkOnChip.PortalChannels)
        {
            throw new NocException($"portal channel {channel} does not exist: channels are 0 to {NetworkOnChip.PortalChannels - 1}");
        }
    }

    private ClusterMemory MemoryOf(int node) =>
        _memoryOfNode[node] ?? throw new NocException($"NoC node {node} belongs to no cluster memory");
}
