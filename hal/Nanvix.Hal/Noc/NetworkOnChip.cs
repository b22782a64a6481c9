using Nanvix.Hal.Memory;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

/// <summary>
/// The timed Network-on-Chip. Every operation is posted at the scheduler's current cycle and completes in an event of
/// the <see cref="EventScheduler"/>, so transfers take simulated time only and a scenario always replays the same way.
/// Every write and every signal packet gets a <see cref="TransferRecord"/>, numbered from 0 in posting order.
/// <para>
/// <b>Hardware mode.</b> A transfer of packets p_i over a route of H links costs, alone,
/// <c>H * HopLatencyCycles + Σ SerializationCycles(p_i)</c>. Links are reserved first come, first served: each
/// directed link keeps the cycle it is busy until, the transfer starts when the head can enter every link of its route
/// in turn (link k is entered k hop latencies after the start) and then holds each link for its whole serialization.
/// So transfers that share a link serialize and disjoint ones overlap. Mailbox messages and portal data travel on the
/// data network, sync signals on the control network; the two do not contend with each other (as on the MPPA-256).
/// </para>
/// <para>
/// <b>Nanvix mode.</b> The software path measured on the real chip, without contention: a mailbox message costs
/// <see cref="NanvixTiming.MailboxCycles"/>, a portal write <see cref="NanvixTiming.PortalCycles"/> of its whole size,
/// a sync signal <see cref="NanvixTiming.SyncCycles"/>. Hops are still recorded.
/// </para>
/// <para>
/// <b>Mailbox.</b> One input per node with <see cref="MailboxSlots"/> slots; the payload is copied at the write, a
/// write to a node with no open input or to a full one is refused. Messages of one sender to one receiver arrive in
/// order in every mode (an arrival is never earlier than the previous one of the pair); the input hands messages out in
/// arrival order, same-cycle arrivals in posting order. Messages in flight to an input that is closed are dropped.
/// </para>
/// <para>
/// <b>Portal.</b> One input per node and channel (<see cref="PortalChannels"/>), one outstanding allow per input, one
/// outstanding write per output. A write through an output of channel c only ever matches the input of channel c at
/// the remote node; the channels share the links and the timing. A write waits until the receiver allows its sender,
/// then moves in chunks of <see cref="NocSpec.PortalChunkBytes"/>; the data is
/// copied from the sender's memory into the allowed buffer when it arrives. A write larger than the allowed capacity
/// is refused (by the write when the allow came first, by the allow when the write came first). Both ends may give a
/// scatter/gather list of up to <see cref="MaxPortalSegments"/> <see cref="MemorySegment"/>s instead of one buffer:
/// the write is still one transfer of the total size, whose bytes go from the source segments in order into the
/// destination segments in order, wherever each list cuts the stream. Closing an output
/// cancels its waiting write (its record stays <see cref="TransferState.Waiting"/>); data arriving at a closed input is
/// dropped, the sender's write still completes.
/// </para>
/// <para>
/// <b>Faults.</b> <see cref="InjectFault"/> arms the loss of one future mailbox or portal transfer of a pair: it is timed
/// and takes its links as if it succeeded, but arrives <see cref="TransferState.Failed"/> and nothing lands.
/// </para>
/// <para>
/// <b>Sync.</b> One packet of <see cref="NocSpec.SyncSignalBytes"/> per destination. A signal is matched to the sync
/// input of the same mode and node list open at the destination when it arrives; if none is open there, it is kept at
/// the node and counted by the next such input created there (so a barrier does not depend on which side started
/// first). Closing a sync input forgets the signals it had counted.
/// </para>
/// </summary>
public sealed class NetworkOnChip : INoc, IEventTarget
{
    /// <summary>Scheduler label of a mailbox message's arrival; the argument is the transfer id.</summary>
    public const string MailboxArrivalLabel = "noc.mailbox.arrive";

    /// <summary>Scheduler label of a portal write's arrival; the argument is the transfer id.</summary>
    public const string PortalArrivalLabel = "noc.portal.arrive";

    /// <summary>Scheduler label of a sync signal's arrival; the argument is the transfer id.</summary>
    public const string SyncArrivalLabel = "noc.sync.arrive";

    /// <summary>
    /// Messages a mailbox input holds, in flight plus unread. Our choice: the hardware queue depth is not what Nanvix
    /// exposes, and 64 is far more than the kernel's request/reply protocols keep outstanding.
    /// </summary>
    public const int MailboxSlots = 64;

    /// <summary>Largest portal write: 1 MB. Source: the Nanvix microkernel splits user writes up to 1 MB.</summary>
    public const int MaxPortalWriteBytes = 1024 * 1024;

    /// <summary>
    /// Most segments in a portal scatter/gather list: 257, the 4 KB frames a 1 MB buffer that does not start on a page
    /// boundary can touch (256 + 1). Our choice, so that the kernel can always hand a whole write over as one list of
    /// physical frames; longer lists are refused with a <see cref="NocException"/>.
    /// </summary>
    public const int MaxPortalSegments = (MaxPortalWriteBytes / 4096) + 1;

    /// <summary>
    /// Records of finished transfers kept for <see cref="Transfer"/>: the last 65 536 (about 6 MB). Older ones are
    /// forgotten so that a long run or a benchmark does not grow without bound; transfers still under way are always kept.
    /// </summary>
    public const int HistoryLimit = 1 << 16;

    /// <summary>
    /// Portal channels per node: separate receive and send slots for portal transfers, each with its own input, allows
    /// and waiting writes. Channel 0 carries the processes' portals through the kernel, channel 1 the kernel's own
    /// transfers (process migration), so the two never take each other's allow. The MPPA-256's D-NoC DMA engine has
    /// 256 receive tags and 8 send tags per interface (nanvix/hal <c>bostan/noc/dtag.h</c>, BOSTAN_DNOC_RX_MAX and
    /// BOSTAN_DNOC_TX_MAX), so two portal slots per node are well within the hardware; that we use two is our choice.
    /// </summary>
    public const int PortalChannels = 2;

    private const int InitialTransfers = 256;

    private readonly EventScheduler _scheduler;
    private readonly NocTopology _topology;
    private readonly int _nodeCount;
    private readonly ClusterMemory?[] _memoryOfNode;
    private readonly ulong[] _dataBusyUntil;
    private readonly ulong[] _controlBusyUntil;
    private readonly ulong[] _lastMailboxArrival;
    private readonly MailboxInput?[] _mailboxOf;
    private readonly PortalInput?[] _portalOf;
    private readonly List<int>[] _waitingWritesTo;
    private readonly List<ArmedFault> _faults = [];
    private readonly List<SyncInput>[] _syncInputsOf;
    private readonly List<PendingSignal>[] _pendingSignalsAt;
    private TransferRecord[] _records = new TransferRecord[InitialTransfers];
    private TransferEnds[] _ends = new TransferEnds[InitialTransfers];
    private int _transferCount;
    private int _oldestKept;

    /// <param name="spec">Topology, timing parameters and message formats.</param>
    /// <param name="mode">Which timing model turns transfers into cycles.</param>
    /// <param name="scheduler">The processor's clock; every arrival is one of its events.</param>
    /// <param name="memoryOfNode">The memory of the cluster each NoC node belongs to, indexed by node.</param>
    public NetworkOnChip(NocSpec spec, NocTimingMode mode, EventScheduler scheduler, IReadOnlyList<ClusterMemory> memoryOfNode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(memoryOfNode);
        Spec = spec;
        Mode = mode;
        _scheduler = scheduler;
        _topology = spec.Topology;
        _nodeCount = _topology.NodeCount;
        if (memoryOfNode.Count != _nodeCount)
        {
            throw new ArgumentException($"the NoC has {_nodeCount} nodes but {memoryOfNode.Count} node memories were given", nameof(memoryOfNode));
        }

        _memoryOfNode = new ClusterMemory?[_nodeCount];
        for (int node = 0; node < _nodeCount; node++)
        {
            _memoryOfNode[node] = memoryOfNode[node];
        }

        _dataBusyUntil = new ulong[_topology.LinkCount];
        _controlBusyUntil = new ulong[_topology.LinkCount];
        _lastMailboxArrival = new ulong[_nodeCount * _nodeCount];
        _mailboxOf = new MailboxInput?[_nodeCount];
        _portalOf = new PortalInput?[_nodeCount * PortalChannels];
        _waitingWritesTo = new List<int>[_nodeCount * PortalChannels];
        _syncInputsOf = new List<SyncInput>[_nodeCount];
        _pendingSignalsAt = new List<PendingSignal>[_nodeCount];
        for (int node = 0; node < _nodeCount; node++)
        {
            _syncInputsOf[node] = [];
            _pendingSignalsAt[node] = [];
        }

        for (int port = 0; port < _waitingWritesTo.Length; port++)
        {
            _waitingWritesTo[port] = [];
        }
    }

    /// <inheritdoc/>
    public NocSpec Spec { get; }

    /// <inheritdoc/>
    public NocTimingMode Mode { get; }

    /// <inheritdoc/>
    public int TransferCount => _transferCount;

    /// <inheritdoc/>
    public int FaultsPending => _faults.Count;

    /// <inheritdoc/>
    public TransferRecord Transfer(int id)
    {
        if ((uint)id >= (uint)_transferCount)
        {
            throw new NocException($"transfer {id} does not exist ({_transferCount} transfers posted so far)");
        }

        if (id < _oldestKept)
        {
            throw new NocException($"transfer {id} is no longer kept: the NoC keeps the records of the last {HistoryLimit} transfers");
        }

        return _records[Slot(id)];
    }

    /// <summary>
    /// Cycles a transfer of <paramref name="kind"/> carrying <paramref name="bytes"/> over <paramref name="hops"/> links
    /// takes alone on the network in this NoC's mode: the model without contention, for tests and documentation.
    /// </summary>
    public ulong ModelCycles(TransferKind kind, int bytes, int hops)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        if (Mode == NocTimingMode.Nanvix)
        {
            return NanvixCycles(kind, bytes);
        }

        return ((ulong)hops * (ulong)Spec.Hardware.HopLatencyCycles) + SerializationCycles(kind, bytes);
    }

    /// <inheritdoc/>
    public IMailboxInput CreateMailbox(int localNode)
    {
        _topology.CheckNode(localNode);
        if (_mailboxOf[localNode] is not null)
        {
            throw new NocException($"node {localNode} already has an open mailbox input");
        }

        var input = new MailboxInput(this, localNode, Spec.MailboxPayloadBytes, MailboxSlots);
        _mailboxOf[localNode] = input;
        return input;
    }

    /// <inheritdoc/>
    public IMailboxOutput OpenMailbox(int localNode, int remoteNode)
    {
        _topology.CheckNode(localNode);
        _topology.CheckNode(remoteNode);
        return new MailboxOutput(this, localNode, remoteNode);
    }

    /// <inheritdoc/>
    public IPortalInput CreatePortal(int localNode, int channel)
    {
        _topology.CheckNode(localNode);
        CheckChannel(channel);
        int port = Port(localNode, channel);
        if (_portalOf[port] is not null)
        {
            throw new NocException($"node {localNode} already has an open portal input on channel {channel}");
        }

        var input = new PortalInput(this, localNode, channel, MemoryOf(localNode));
        _portalOf[port] = input;
        return input;
    }

    /// <inheritdoc/>
    public IPortalOutput OpenPortal(int localNode, int remoteNode, int channel)
    {
        _topology.CheckNode(localNode);
        _topology.CheckNode(remoteNode);
        CheckChannel(channel);
        return new PortalOutput(this, localNode, remoteNode, channel, MemoryOf(localNode));
    }

    /// <inheritdoc/>
    public void InjectFault(TransferKind kind, int source, int target, int skip = 0)
    {
        if (kind is not (TransferKind.Mailbox or TransferKind.Portal))
        {
            throw new NocException($"cannot inject a fault into {kind} transfers: faults are injected into mailbox and portal transfers");
        }

        _topology.CheckNode(source);
        _topology.CheckNode(target);
        if (skip < 0)
        {
            throw new NocException($"a fault cannot skip {skip} transfers (0 or more)");
        }

        _faults.Add(new ArmedFault(kind, source, target, skip));
    }

    /// <inheritdoc/>
    public ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode)
    {
        _topology.CheckNode(localNode);
        int[] list = CheckSyncNodes(nodes);
        bool waits = mode == SyncMode.AllToOne ? list[0] == localNode : IsSignallerOrWaiter(list, localNode);
        if (!waits)
        {
            throw new NocException(
                $"node {localNode} cannot create the input of {Describe(mode, list)}: {RoleRule(mode)}");
        }

        List<SyncInput> open = _syncInputsOf[localNode];
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

    /// <inheritdoc/>
    public ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode)
    {
        _topology.CheckNode(localNode);
        int[] list = CheckSyncNodes(nodes);
        bool signals = mode == SyncMode.OneToAll ? list[0] == localNode : IsSignallerOrWaiter(list, localNode);
        if (!signals)
        {
            throw new NocException(
                $"node {localNode} cannot open the output of {Describe(mode, list)}: {RoleRule(mode)}");
        }

        return new SyncOutput(this, localNode, list, mode);
    }

    /// <summary>Arrival of a transfer: finishes it at its receiver and tells the listeners.</summary>
    [KernelHotPath]
    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        int id = (int)argument;
        TransferRecord record = _records[Slot(id)];
        TransferEnds ends = _ends[Slot(id)];
        _records[Slot(id)] = record with { State = ends.Faulted ? TransferState.Failed : TransferState.Delivered };
        _ends[Slot(id)] = default;
        switch (record.Kind)
        {
            case TransferKind.Mailbox:
                ArriveMailbox(ends, cycle);
                break;
            case TransferKind.Portal:
                ArrivePortal(id, record, ends, cycle);
                break;
            default:
                ArriveSignal(record, ends, cycle);
                break;
        }
    }

    [KernelHotPath]
    internal bool IsMailboxFull(int node) => _mailboxOf[node] is { IsFull: true };

    internal int WriteMailbox(MailboxOutput output, ReadOnlySpan<byte> payload)
    {
        int source = output.LocalNode;
        int target = output.RemoteNode;
        if (payload.Length > Spec.MailboxPayloadBytes)
        {
            throw new NocException(
                $"mailbox message of {payload.Length} bytes from node {source} to node {target} is larger than the {Spec.MailboxPayloadBytes}-byte mailbox payload");
        }

        MailboxInput? input = _mailboxOf[target];
        if (input is null)
        {
            throw new NocException($"mailbox message from node {source}: node {target} has no open mailbox input");
        }

        if (input.IsFull)
        {
            throw new NocException($"mailbox of node {target} is full ({MailboxSlots} messages in flight or unread)");
        }

        int id = NewTransfer(TransferKind.Mailbox, source, target, payload.Length, Spec.MailboxMessageBytes, 1);
        _ends[Slot(id)].Mailbox = input;
        _ends[Slot(id)].Slot = input.Reserve(source, payload, id);
        Launch(id);
        return id;
    }

    internal void Allow(PortalInput input, int remoteNode, ReadOnlySpan<MemorySegment> destination)
    {
        int node = input.LocalNode;
        _topology.CheckNode(remoteNode);
        if (input.HasAllow)
        {
            throw new NocException($"{input} already has an outstanding allow (for node {input.AllowedSource})");
        }

        if (destination.Length is < 1 or > MaxPortalSegments)
        {
            throw new NocException(
                $"{input}: cannot allow a list of {destination.Length} segments (1 to {MaxPortalSegments})");
        }

        long total = SegmentBytes(destination, out int empty);
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
            if (_records[Slot(waiting[i])].Source == remoteNode)
            {
                index = i;
                break;
            }
        }

        if (index >= 0 && _records[Slot(waiting[index])].Bytes > capacity)
        {
            throw new NocException(
                $"{input}: the write of {_records[Slot(waiting[index])].Bytes} bytes waiting from node {remoteNode} does not fit the {capacity} bytes allowed");
        }

        input.Open(remoteNode, destination, capacity);
        if (index >= 0)
        {
            int id = waiting[index];
            waiting.RemoveAt(index);
            _ends[Slot(id)].PortalInput = input;
            input.Match(id);
            Launch(id);
        }
    }

    [KernelHotPath]
    internal int WritePortal(PortalOutput output, ReadOnlySpan<MemorySegment> source)
    {
        int from = output.LocalNode;
        int target = output.RemoteNode;
        if (source.Length is < 1 or > MaxPortalSegments)
        {
            throw new NocException(
                $"portal write from node {from} to node {target}: a list of {source.Length} segments (a write takes 1 to {MaxPortalSegments})");
        }

        long total = SegmentBytes(source, out int empty);
        if (empty >= 0)
        {
            throw new NocException(
                $"portal write from node {from} to node {target}: segment {empty} of {source.Length} has {source[empty].Length} bytes (each segment holds at least 1)");
        }

        if (total < 1 || total > MaxPortalWriteBytes)
        {
            throw new NocException(
                $"portal write of {total} bytes from node {from} to node {target}: a write moves 1 to {MaxPortalWriteBytes} bytes");
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
        PortalInput? input = _portalOf[port];
        bool allowed = input is not null && input.IsOpenFor(from);
        if (allowed && size > input!.Capacity)
        {
            throw new NocException(
                $"portal write of {size} bytes from node {from} does not fit the {input.Capacity} bytes node {target} allowed");
        }

        int chunk = Spec.PortalChunkBytes;
        int packets = (size + chunk - 1) / chunk;
        int id = NewTransfer(TransferKind.Portal, from, target, size, size + (packets * Spec.Hardware.PacketHeaderBytes), packets);
        _ends[Slot(id)].PortalOutput = output;
        output.Source.Set(source, size);
        output.PendingTransfer = id;
        if (allowed)
        {
            _ends[Slot(id)].PortalInput = input;
            input!.Match(id);
            Launch(id);
        }
        else
        {
            _waitingWritesTo[port].Add(id);
        }

        return id;
    }

    [KernelHotPath]
    internal void Signal(SyncOutput output)
    {
        int[] nodes = output.Nodes;
        if (output.Mode == SyncMode.AllToOne)
        {
            PostSignal(output, nodes[0]);
            return;
        }

        for (int i = 1; i < nodes.Length; i++)
        {
            PostSignal(output, nodes[i]);
        }
    }

    internal void OnClosed(MailboxInput input)
    {
        if (_mailboxOf[input.LocalNode] == input)
        {
            _mailboxOf[input.LocalNode] = null;
        }
    }

    internal void OnClosed(PortalInput input)
    {
        int port = Port(input.LocalNode, input.Channel);
        if (_portalOf[port] == input)
        {
            _portalOf[port] = null;
        }
    }

    internal void OnClosed(PortalOutput output) => Withdraw(output);

    /// <summary>Cancels the write of <paramref name="output"/> if it still waits for an allow; true when it did.</summary>
    internal bool Withdraw(PortalOutput output)
    {
        int id = output.PendingTransfer;
        if (id < 0 || _records[Slot(id)].State != TransferState.Waiting)
        {
            return false;
        }

        _waitingWritesTo[Port(output.RemoteNode, output.Channel)].Remove(id);
        _ends[Slot(id)] = default;
        _records[Slot(id)] = _records[Slot(id)] with { State = TransferState.Cancelled };
        output.PendingTransfer = -1;
        output.Source.Clear();
        return true;
    }

    internal void OnClosed(SyncInput input) => _syncInputsOf[input.LocalNode].Remove(input);

    private void PostSignal(SyncOutput output, int target)
    {
        int id = NewTransfer(TransferKind.Sync, output.LocalNode, target, Spec.SyncSignalBytes, Spec.SyncSignalBytes + Spec.Hardware.PacketHeaderBytes, 1);
        _ends[Slot(id)].Sync = output;
        Launch(id);
    }

    private void ArriveMailbox(in TransferEnds ends, ulong cycle)
    {
        MailboxInput input = ends.Mailbox!;
        if (input.IsClosed)
        {
            return;
        }

        if (ends.Faulted)
        {
            input.Drop(ends.Slot);
            return;
        }

        input.Arrive(ends.Slot, cycle);
        input.Raise(cycle);
    }

    private void ArrivePortal(int id, in TransferRecord record, in TransferEnds ends, ulong cycle)
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
            CopySegments(output.Memory, output.Source.Items, input!.Memory, input.Destination.Items, record.Bytes);
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

    /// <summary>
    /// Copies the first <paramref name="bytes"/> of the stream the <paramref name="source"/> segments make, in order,
    /// into the <paramref name="destination"/> segments, in order. The two lists may cut the stream at different places,
    /// so it goes piece by piece, each piece as long as what is left of the current segment on both sides.
    /// </summary>
    [KernelHotPath]
    private static void CopySegments(
        ClusterMemory from, ReadOnlySpan<MemorySegment> source, ClusterMemory to, ReadOnlySpan<MemorySegment> destination, int bytes)
    {
        int s = 0;
        int d = 0;
        int sourceDone = 0;
        int destinationDone = 0;
        while (bytes > 0)
        {
            MemorySegment read = source[s];
            MemorySegment write = destination[d];
            int piece = Math.Min(Math.Min(read.Length - sourceDone, write.Length - destinationDone), bytes);
            from.CopyTo(read.Offset + (ulong)sourceDone, to, write.Offset + (ulong)destinationDone, piece);
            bytes -= piece;
            sourceDone += piece;
            destinationDone += piece;
            if (sourceDone == read.Length)
            {
                s++;
                sourceDone = 0;
            }

            if (destinationDone == write.Length)
            {
                d++;
                destinationDone = 0;
            }
        }
    }

    /// <summary>
    /// Sum of the lengths of a list of segments, and in <paramref name="empty"/> the first segment of less than 1 byte
    /// in a list of 2 or more, or -1 (a one-segment list is judged by its total, with the messages of the plain calls).
    /// </summary>
    [KernelHotPath]
    private static long SegmentBytes(ReadOnlySpan<MemorySegment> segments, out int empty)
    {
        empty = -1;
        long total = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            int length = segments[i].Length;
            if (length < 1 && segments.Length > 1 && empty < 0)
            {
                empty = i;
            }

            total += length;
        }

        return total;
    }

    private void ArriveSignal(in TransferRecord record, in TransferEnds ends, ulong cycle)
    {
        SyncOutput output = ends.Sync!;
        List<SyncInput> open = _syncInputsOf[record.Target];
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

    /// <summary>Records a transfer posted now, not yet started; returns its id.</summary>
    private int NewTransfer(TransferKind kind, int source, int target, int bytes, int wireBytes, int packets)
    {
        if (_transferCount - _oldestKept == _records.Length)
        {
            // The ring is full: forget the oldest record once the history is long enough and that transfer is over,
            // otherwise grow, so a record still in use is never overwritten.
            if (_records.Length >= HistoryLimit && _records[Slot(_oldestKept)].State is TransferState.Delivered or TransferState.Cancelled or TransferState.Failed)
            {
                _oldestKept++;
            }
            else
            {
                GrowRecords();
            }
        }

        int id = _transferCount++;
        ulong now = _scheduler.Now;
        _records[Slot(id)] = new TransferRecord(
            id, kind, source, target, bytes, wireBytes, packets, _topology.Hops(source, target), now, now, now, TransferState.Waiting);
        _ends[Slot(id)] = default;
        return id;
    }

    /// <summary>Position of transfer <paramref name="id"/> in the ring of records.</summary>
    private int Slot(int id) => id & (_records.Length - 1);

    private void GrowRecords()
    {
        var records = new TransferRecord[_records.Length * 2];
        var ends = new TransferEnds[_records.Length * 2];
        int mask = records.Length - 1;
        for (int id = _oldestKept; id < _transferCount; id++)
        {
            records[id & mask] = _records[Slot(id)];
            ends[id & mask] = _ends[Slot(id)];
        }

        _records = records;
        _ends = ends;
    }

    /// <summary>Starts transfer <paramref name="id"/> now: computes when it leaves and arrives, and schedules the arrival.</summary>
    [KernelHotPath]
    private void Launch(int id)
    {
        TransferRecord record = _records[Slot(id)];
        ulong now = _scheduler.Now;
        ulong start = now;
        ulong end;
        if (Mode == NocTimingMode.Hardware)
        {
            Span<int> route = stackalloc int[_topology.MaxRouteLength];
            int hops = _topology.Route(record.Source, record.Target, route);
            ulong[] busyUntil = record.Kind == TransferKind.Sync ? _controlBusyUntil : _dataBusyUntil;
            end = Reserve(busyUntil, route[..hops], SerializationCycles(record.Kind, record.Bytes), ref start);
        }
        else
        {
            end = now + NanvixCycles(record.Kind, record.Bytes);
        }

        string label = PortalArrivalLabel;
        if (record.Kind == TransferKind.Mailbox)
        {
            // FIFO per sender and receiver in every mode: never arrive before the pair's previous message.
            ref ulong last = ref _lastMailboxArrival[(record.Source * _nodeCount) + record.Target];
            end = Math.Max(end, last);
            last = end;
            label = MailboxArrivalLabel;
        }
        else if (record.Kind == TransferKind.Sync)
        {
            label = SyncArrivalLabel;
        }

        _records[Slot(id)] = record with { Start = start, End = end, State = TransferState.InFlight };
        if (_faults.Count > 0)
        {
            _ends[Slot(id)].Faulted = TakeFault(record.Kind, record.Source, record.Target);
        }

        _scheduler.Schedule(end, this, id, label);
    }

    /// <summary>
    /// Counts a transfer launched now against every armed fault of its kind and pair, in arming order; returns true
    /// when one of them was waiting for exactly this transfer (that fault is then spent).
    /// </summary>
    [KernelHotPath]
    private bool TakeFault(TransferKind kind, int source, int target)
    {
        bool faulted = false;
        for (int i = 0; i < _faults.Count;)
        {
            ArmedFault fault = _faults[i];
            if (fault.Kind != kind || fault.Source != source || fault.Target != target)
            {
                i++;
            }
            else if (fault.Skip == 0)
            {
                faulted = true;
                _faults.RemoveAt(i);
            }
            else
            {
                _faults[i] = fault with { Skip = fault.Skip - 1 };
                i++;
            }
        }

        return faulted;
    }

    /// <summary>
    /// First-come link reservation along <paramref name="route"/>: the head enters link k at start + k hops, so the
    /// start is the first cycle at which every link is free by the time the head reaches it; each link is then held
    /// for the whole serialization. Returns the arrival cycle.
    /// </summary>
    private ulong Reserve(ulong[] busyUntil, ReadOnlySpan<int> route, ulong serialization, ref ulong start)
    {
        ulong hop = (ulong)Spec.Hardware.HopLatencyCycles;
        for (int k = 0; k < route.Length; k++)
        {
            ulong entry = (ulong)k * hop;
            ulong free = busyUntil[route[k]];
            if (free > entry && free - entry > start)
            {
                start = free - entry;
            }
        }

        for (int k = 0; k < route.Length; k++)
        {
            busyUntil[route[k]] = start + ((ulong)k * hop) + serialization;
        }

        return start + ((ulong)route.Length * hop) + serialization;
    }

    /// <summary>Cycles the packets of a transfer occupy one link, all together.</summary>
    private ulong SerializationCycles(TransferKind kind, int bytes)
    {
        HardwareTiming hardware = Spec.Hardware;
        switch (kind)
        {
            case TransferKind.Mailbox:
                // The whole payload slot travels, used or not.
                return hardware.SerializationCycles(Spec.MailboxPayloadBytes);
            case TransferKind.Sync:
                return hardware.SerializationCycles(Spec.SyncSignalBytes);
            default:
                int chunk = Spec.PortalChunkBytes;
                int fullChunks = bytes / chunk;
                int rest = bytes - (fullChunks * chunk);
                ulong cycles = (ulong)fullChunks * hardware.SerializationCycles(chunk);
                return rest > 0 || fullChunks == 0 ? cycles + hardware.SerializationCycles(rest) : cycles;
        }
    }

    private ulong NanvixCycles(TransferKind kind, int bytes) => kind switch
    {
        TransferKind.Mailbox => Spec.Nanvix.MailboxCycles,
        TransferKind.Sync => Spec.Nanvix.SyncCycles,
        _ => Spec.Nanvix.PortalCycles(bytes),
    };

    /// <summary>The name of a portal end in messages: the plain kind on channel 0, the channel named on the others.</summary>
    internal static string PortalEndName(string kind, int channel) => channel == 0 ? kind : $"{kind} (channel {channel})";

    /// <summary>Index of a node's portal slot on <paramref name="channel"/> in the per-(node, channel) arrays.</summary>
    private static int Port(int node, int channel) => (node * PortalChannels) + channel;

    private static void CheckChannel(int channel)
    {
        if ((uint)channel >= PortalChannels)
        {
            throw new NocException($"portal channel {channel} does not exist: channels are 0 to {PortalChannels - 1}");
        }
    }

    private ClusterMemory MemoryOf(int node) =>
        _memoryOfNode[node] ?? throw new NocException($"NoC node {node} belongs to no cluster memory");

    /// <summary>Checks a sync point's node list (2 or more distinct valid nodes) and returns a private copy.</summary>
    private int[] CheckSyncNodes(ReadOnlySpan<int> nodes)
    {
        if (nodes.Length < 2)
        {
            throw new NocException($"a sync point needs at least 2 nodes, {nodes.Length} given");
        }

        for (int i = 0; i < nodes.Length; i++)
        {
            _topology.CheckNode(nodes[i]);
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
}
