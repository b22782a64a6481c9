using Nanvix.Hal.Memory;
using Nanvix.Hal.Time;

namespace Nanvix.Hal.Noc;

// TEMPORARY: replaced by the real implementation.
public sealed class NetworkOnChip : INoc
{
    public NetworkOnChip(NocSpec spec, NocTimingMode mode, EventScheduler scheduler, IReadOnlyList<ClusterMemory> memoryOfNode)
    {
        Spec = spec;
        Mode = mode;
        _ = scheduler;
        _ = memoryOfNode;
    }

    public NocSpec Spec { get; }

    public NocTimingMode Mode { get; }

    public int TransferCount => 0;

    public IMailboxInput CreateMailbox(int localNode) => throw new NotImplementedException();

    public IPortalInput CreatePortal(int localNode) => throw new NotImplementedException();

    public ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => throw new NotImplementedException();

    public IMailboxOutput OpenMailbox(int localNode, int remoteNode) => throw new NotImplementedException();

    public IPortalOutput OpenPortal(int localNode, int remoteNode) => throw new NotImplementedException();

    public ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => throw new NotImplementedException();

    public TransferRecord Transfer(int id) => throw new NotImplementedException();
}
