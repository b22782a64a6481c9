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
/// <para>
/// <b>Parts.</b> This type only wires them: the mailbox, portal and sync networks own their ends' tables and the
/// path of their transfers, from the write to the arrival event; the transfer log numbers and keeps the records; the
/// timing model of the mode (hardware or nanvix) times every launch; the fault injector holds the armed faults.
/// </para>
/// </summary>
public sealed class NetworkOnChip : INoc
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
    /// transfers (process migration), channel 2 the pages a post-copied process pulls from its old cluster, so none
    /// takes another's allow. The MPPA-256's D-NoC DMA engine has 256 receive tags and 8 send tags per interface
    /// (nanvix/hal <c>bostan/noc/dtag.h</c>, BOSTAN_DNOC_RX_MAX and BOSTAN_DNOC_TX_MAX), so three portal slots per node
    /// are well within the hardware; that we use three is our choice.
    /// </summary>
    public const int PortalChannels = 3;

    private readonly TransferLog _log;
    private readonly NocTimingModel _timing;
    private readonly FaultInjector _faults;
    private readonly MailboxNetwork _mailboxes;
    private readonly PortalNetwork _portals;
    private readonly SyncNetwork _syncs;

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
        int nodeCount = spec.Topology.NodeCount;
        if (memoryOfNode.Count != nodeCount)
        {
            throw new ArgumentException($"the NoC has {nodeCount} nodes but {memoryOfNode.Count} node memories were given", nameof(memoryOfNode));
        }

        // One log, one timing model and one set of armed faults for the three networks: transfers are numbered in
        // posting order across them all, and mailbox and portal transfers share the data network's links.
        _log = new TransferLog(scheduler, spec.Topology);
        _timing = NocTimingModel.Of(mode, spec);
        _faults = new FaultInjector(spec.Topology);
        _mailboxes = new MailboxNetwork(spec, scheduler, _log, _timing, _faults);
        _portals = new PortalNetwork(spec, scheduler, _log, _timing, _faults, memoryOfNode);
        _syncs = new SyncNetwork(spec, scheduler, _log, _timing, _faults);
    }

    /// <inheritdoc/>
    public NocSpec Spec { get; }

    /// <inheritdoc/>
    public NocTimingMode Mode { get; }

    /// <inheritdoc/>
    public int TransferCount => _log.Count;

    /// <inheritdoc/>
    public int FaultsPending => _faults.Pending;

    /// <inheritdoc/>
    public TransferRecord Transfer(int id) => _log.Transfer(id);

    /// <summary>
    /// Cycles a transfer of <paramref name="kind"/> carrying <paramref name="bytes"/> over <paramref name="hops"/> links
    /// takes alone on the network in this NoC's mode: the model without contention, for tests and documentation.
    /// </summary>
    public ulong ModelCycles(TransferKind kind, int bytes, int hops)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        return _timing.ModelCycles(kind, bytes, hops);
    }

    /// <inheritdoc/>
    public IMailboxInput CreateMailbox(int localNode) => _mailboxes.Create(localNode);

    /// <inheritdoc/>
    public IMailboxOutput OpenMailbox(int localNode, int remoteNode) => _mailboxes.Open(localNode, remoteNode);

    /// <inheritdoc/>
    public IPortalInput CreatePortal(int localNode, int channel) => _portals.Create(localNode, channel);

    /// <inheritdoc/>
    public IPortalOutput OpenPortal(int localNode, int remoteNode, int channel) => _portals.Open(localNode, remoteNode, channel);

    /// <inheritdoc/>
    public ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => _syncs.Create(localNode, nodes, mode);

    /// <inheritdoc/>
    public ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => _syncs.Open(localNode, nodes, mode);

    /// <inheritdoc/>
    public void InjectFault(TransferKind kind, int source, int target, int skip = 0) => _faults.Arm(kind, source, target, skip);

    /// <inheritdoc/>
    public void InjectFault(TransferKind kind, int source, int target, int skip, int channel) => _faults.Arm(kind, source, target, skip, channel);
}
