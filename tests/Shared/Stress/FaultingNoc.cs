using Nanvix.Hal.Noc;
using Nanvix.Kernel;
using Nanvix.Kernel.Images;
using Nanvix.Kernel.Migration;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// The processor's NoC, seen through a wrapper that loses chosen regions or messages of chosen moves: a fault is armed
/// (<see cref="INoc.InjectFault"/>) just before the migration daemon writes that region on the kernel's portal channel,
/// or just before a kernel sends that migration message (the manifest, or the target's answer: Done, Refused or
/// Failed), so it takes that transfer and no program's. Everything else goes straight to the real NoC.
/// </summary>
internal sealed class FaultingNoc(INoc inner) : INoc
{
    /// <summary>The portal channel the migration daemons use (programs use channel 0; docs/noc.md).</summary>
    private const int KernelChannel = 1;

    private readonly Dictionary<MigrationTicket, int> _lost = [];
    private readonly Dictionary<MigrationTicket, int> _written = [];
    private readonly Dictionary<MigrationTicket, int> _lostMessages = [];

    /// <summary>What <see cref="Lose"/> takes for the move's manifest.</summary>
    public const int Manifest = 3;

    /// <summary>What <see cref="Lose"/> takes for the target's answer.</summary>
    public const int Answer = 4;

    /// <summary>What <see cref="Lose"/> takes for the source's Evicted, its answer to Done.</summary>
    public const int Evicted = 5;

    public INoc Inner => inner;

    /// <summary>The system whose tickets say which move a region belongs to; set once it exists.</summary>
    public Multikernel? System { get; set; }

    /// <summary>Faults armed so far.</summary>
    public int Armed { get; private set; }

    /// <summary>
    /// Loses region <paramref name="region"/> (0 kernel state, 1 sections, 2 stacks) of the move of <paramref name="ticket"/>,
    /// or its first manifest (<see cref="Manifest"/>), the target's first answer (<see cref="Answer"/>) or the source's
    /// first Evicted (<see cref="Evicted"/>).
    /// </summary>
    public void Lose(MigrationTicket ticket, int region)
    {
        if (region >= Manifest)
        {
            _lostMessages[ticket] = region;
        }
        else
        {
            _lost[ticket] = region;
        }
    }

    internal void BeforeMessage(int local, int remote, ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<byte> body = payload.Length > KernelConstants.MailboxHeaderBytes ? payload[KernelConstants.MailboxHeaderBytes..] : [];
        if (System is null || _lostMessages.Count == 0 || payload.Length < 3 || payload[2] != KernelConstants.KernelPort || !MigrationMessage.Is(body))
        {
            return;
        }

        MoveHeader header = MigrationMessage.Header(body);
        int wanted = header.Kind switch
        {
            MigrationMessageKind.Manifest or MigrationMessageKind.PrecopyBatch => Manifest,
            MigrationMessageKind.Done or MigrationMessageKind.Refused or MigrationMessageKind.Failed => Answer,
            MigrationMessageKind.Evicted => Evicted,
            _ => -1,
        };
        foreach (MigrationTicket ticket in System.Tickets)
        {
            if (ticket.State == MigrationState.Moving && ticket.Pid == header.Move.Pid && _lostMessages.TryGetValue(ticket, out int lost) && lost == wanted
                && (wanted == Answer ? header.Move.Source == remote : ticket.Target.NocNodes.Contains(remote)))
            {
                _lostMessages.Remove(ticket);
                inner.InjectFault(TransferKind.Mailbox, local, remote);
                Armed++;
                return;
            }
        }
    }

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
            // On the kernel channel only: a pre-copy batch may wait for its allow while the process, still running, launches a write of its own to the same node.
            inner.InjectFault(TransferKind.Portal, local, remote, 0, KernelChannel);
            Armed++;
        }
    }

    public NocSpec Spec => inner.Spec;

    public NocTimingMode Mode => inner.Mode;

    public int FaultsPending => inner.FaultsPending;

    public int TransferCount => inner.TransferCount;

    public IMailboxInput CreateMailbox(int localNode) => inner.CreateMailbox(localNode);

    public IMailboxOutput OpenMailbox(int localNode, int remoteNode) => new FaultingMailboxOutput(inner.OpenMailbox(localNode, remoteNode), this);

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

    public void InjectFault(TransferKind kind, int source, int target, int skip, int channel) => inner.InjectFault(kind, source, target, skip, channel);

    public TransferRecord Transfer(int id) => inner.Transfer(id);
}
