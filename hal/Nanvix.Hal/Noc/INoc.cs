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

    /// <summary>The portal of <paramref name="localNode"/>; one per node at a time.</summary>
    IPortalInput CreatePortal(int localNode);

    IPortalOutput OpenPortal(int localNode, int remoteNode);

    /// <summary>The waiting side of a sync point over <paramref name="nodes"/>; <paramref name="localNode"/> must be a waiter of that mode.</summary>
    ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode);

    /// <summary>The signalling side of a sync point over <paramref name="nodes"/>; <paramref name="localNode"/> must be a signaller of that mode.</summary>
    ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode);

    /// <summary>Cycles a transfer of <paramref name="bytes"/> over <paramref name="hops"/> links takes alone on the network in this mode.</summary>
    ulong ModelCycles(TransferKind kind, int bytes, int hops);

    /// <summary>Transfers posted so far.</summary>
    int TransferCount { get; }

    /// <summary>The record of transfer <paramref name="id"/>.</summary>
    TransferRecord Transfer(int id);
}
