using Nanvix.Hal.Noc;
using Nanvix.Kernel;
using Nanvix.Kernel.Migration;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// The processor's NoC, seen through a wrapper that loses chosen regions of chosen moves: a fault is armed
/// (<see cref="INoc.InjectFault"/>) just before the migration daemon writes that region on the kernel's portal channel,
/// so it takes that transfer and no program's. Everything else goes straight to the real NoC.
/// </summary>
internal sealed class FaultingNoc(INoc inner) : INoc
{
    /// <summary>The portal channel the migration daemons use (programs use channel 0; docs/noc.md).</summary>
    private const int KernelChannel = 1;

    private readonly Dictionary<MigrationTicket, int> _lost = [];
    private readonly Dictionary<MigrationTicket, int> _written = [];

    public INoc Inner => inner;

    /// <summary>The system whose tickets say which move a region belongs to; set once it exists.</summary>
    public Multikernel? System { get; set; }

    /// <summary>Faults armed so far.</summary>
    public int Armed { get; private set; }

    /// <summary>Loses region <paramref name="region"/> (0 kernel state, 1 sections, 2 stacks) of the move of <paramref name="ticket"/>.</summary>
    public void Lose(MigrationTicket ticket, int region) => _lost[ticket] = region;

    internal void BeforeRegion(int local, int remote)
    {
        if (System is null || _lost.Count == 0)
        {
            return;
        }

        // A source daemon sends one process at a time, so the write belongs to the move to this node; a frozen process
        // is in no kernel's table, so two moves to the same target at once cannot be told apart: those lose nothing.
        MigrationTicket? only = null;
        int moving = 0;
        foreach (MigrationTicket ticket in System.Tickets)
        {
            if (ticket.State == MigrationState.Moving && ticket.Target.NocNodes.Contains(remote))
            {
                only = ticket;
                moving++;
            }
        }

        if (moving != 1)
        {
            foreach (MigrationTicket ticket in System.Tickets.Where(t => t.State == MigrationState.Moving && t.Target.NocNodes.Contains(remote)))
            {
                _lost.Remove(ticket);
            }

            return;
        }

        int region = _written.GetValueOrDefault(only!);
        _written[only!] = region + 1;
        if (_lost.TryGetValue(only!, out int lost) && lost == region)
        {
            inner.InjectFault(TransferKind.Portal, local, remote);
            Armed++;
        }
    }

    public NocSpec Spec => inner.Spec;

    public NocTimingMode Mode => inner.Mode;

    public int FaultsPending => inner.FaultsPending;

    public int TransferCount => inner.TransferCount;

    public IMailboxInput CreateMailbox(int localNode) => inner.CreateMailbox(localNode);

    public IMailboxOutput OpenMailbox(int localNode, int remoteNode) => inner.OpenMailbox(localNode, remoteNode);

    public IPortalInput CreatePortal(int localNode, int channel) => inner.CreatePortal(localNode, channel);

    public IPortalOutput OpenPortal(int localNode, int remoteNode, int channel)
    {
        IPortalOutput output = inner.OpenPortal(localNode, remoteNode, channel);
        return channel == KernelChannel ? new FaultingPortalOutput(output, this) : output;
    }

    public ISyncInput CreateSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => inner.CreateSync(localNode, nodes, mode);

    public ISyncOutput OpenSync(int localNode, ReadOnlySpan<int> nodes, SyncMode mode) => inner.OpenSync(localNode, nodes, mode);

    public ulong ModelCycles(TransferKind kind, int bytes, int hops) => inner.ModelCycles(kind, bytes, hops);

    public void InjectFault(TransferKind kind, int source, int target, int skip = 0) => inner.InjectFault(kind, source, target, skip);

    public TransferRecord Transfer(int id) => inner.Transfer(id);
}
