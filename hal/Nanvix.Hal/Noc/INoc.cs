namespace Nanvix.Hal.Noc;

/// <summary>
/// The Network-on-Chip: creates the connectors of each node and moves their data in simulated time. Input ends are
/// created on the local node; output ends are opened from the local node towards a remote one. Node numbers out of
/// range throw a <see cref="NocException"/>.
/// </summary>
public interface INoc
{
    NocSpec Spec { get; }

    NocTimingMode Mode { get; }

    /// <summary>The mailbox of <paramref name="localNode"/>; one per node at a time.</summary>
    IMailboxInput CreateMailbox(int localNode);

    IMailboxOutput OpenMailbox(int localNode, int remoteNode);

    /// <summary>The portal input of <paramref name="localNode"/> on channel 0 (processes' portals, through the kernel).</summary>
    IPortalInput CreatePortal(int localNode) => CreatePortal(localNode, 0);

    /// <summary>A portal output from <paramref name="localNode"/> to <paramref name="remoteNode"/> on channel 0.</summary>
    IPortalOutput OpenPortal(int localNode, int remoteNode) => OpenPortal(localNode, remoteNode, 0);

    /// <summary>
    /// The portal input of <paramref name="localNode"/> on <paramref name="channel"/> (0 to
    /// <see cref="NetworkOnChip.PortalChannels"/> - 1); one per node and channel at a time. It only takes writes from
    /// outputs of the same channel. A bad channel throws a <see cref="NocException"/>.
    /// </summary>
    IPortalInput CreatePortal(int localNode, int channel);

    /// <summary>
    /// A portal output from <paramref name="localNode"/> to <paramref name="remoteNode"/> on <paramref name="channel"/>:
    /// its writes land only in the remote node's input of that channel. Channels are separate receive and send slots;
    /// they share the links and their timing. A bad channel throws a <see cref="NocException"/>.
    /// </summary>
    IPortalOutput OpenPortal(int localNode, int remoteNode, int channel);

    /// <summary>The waiting side of a sync point over <paramref name="nodes"/>; <paramref name="localNode"/> must be a waiter of that mode.</summary>
    ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode);

    /// <summary>The signalling side of a sync point over <paramref name="nodes"/>; <paramref name="localNode"/> must be a signaller of that mode.</summary>
    ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode);

    /// <summary>Cycles a transfer of <paramref name="bytes"/> over <paramref name="hops"/> links takes alone on the network in this mode.</summary>
    ulong ModelCycles(TransferKind kind, int bytes, int hops);

    /// <summary>
    /// Arms one fault: the (<paramref name="skip"/> + 1)-th transfer of <paramref name="kind"/> from node
    /// <paramref name="source"/> to node <paramref name="target"/> launched from now on is lost on the wires. It is timed
    /// exactly as if it succeeded (same start and end, links reserved) but arrives <see cref="TransferState.Failed"/>: a
    /// portal write copies nothing, consumes the receiver's allow and completes there with -1 bytes (and at its output
    /// as usual); a mailbox message never reaches the input. Faults armed together count independently, each from its
    /// own arming. Sync signals, bad nodes and a negative <paramref name="skip"/> throw a <see cref="NocException"/>.
    /// </summary>
    void InjectFault(TransferKind kind, int source, int target, int skip = 0);

    /// <summary>
    /// As <see cref="InjectFault(TransferKind, int, int, int)"/>, counting only the portal transfers on
    /// <paramref name="channel"/> (-1: any): a fault meant for a kernel transfer that waits for its allow is not taken by a
    /// process's transfer that launches first.
    /// </summary>
    void InjectFault(TransferKind kind, int source, int target, int skip, int channel);

    /// <summary>Faults armed by <see cref="InjectFault"/> that have not taken a transfer yet.</summary>
    int FaultsPending { get; }

    /// <summary>Transfers posted so far.</summary>
    int TransferCount { get; }

    /// <summary>The record of transfer <paramref name="id"/>.</summary>
    TransferRecord Transfer(int id);
}
