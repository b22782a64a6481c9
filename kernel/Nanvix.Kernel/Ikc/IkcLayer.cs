using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The IKC layer of a cluster kernel: the one descriptor table and the call families over it (mailboxes, the name and
/// spawn requests, sync points, portals), with the hardware mailbox of the cluster's node. It takes the NoC events
/// addressed to the kernel and runs the NoC operation a parked thread asked for; the process-wide operations of a move
/// or an ending (close everything, leave forward entries behind, resume what was held) go to every family from here.
/// </summary>
internal sealed class IkcLayer<TLayout> : IProcessDescriptors
    where TLayout : struct, IProcessLayout
{
    private readonly ProcessTable _processes;
    private readonly KernelState<TLayout> _state;
    private readonly IMailboxInput _hardwareMailbox;

    public IkcLayer(
        IkcTable<TLayout> table, Mailboxes<TLayout> mailboxes, ServiceRequests<TLayout> names, SyncPoints<TLayout> syncPoints, Portals<TLayout> portals,
        IMailboxInput hardwareMailbox, ProcessTable processes, KernelState<TLayout> state)
    {
        Table = table;
        Mailboxes = mailboxes;
        Names = names;
        SyncPoints = syncPoints;
        Portals = portals;
        _hardwareMailbox = hardwareMailbox;
        _processes = processes;
        _state = state;
    }

    public IkcTable<TLayout> Table { get; }

    public Mailboxes<TLayout> Mailboxes { get; }

    public ServiceRequests<TLayout> Names { get; }

    public SyncPoints<TLayout> SyncPoints { get; }

    public Portals<TLayout> Portals { get; }

    /// <summary>A NoC event for this kernel: a message arrived, a transfer ended, a sync point released, a posted operation is due.</summary>
    [KernelHotPath]
    public void OnEvent(KernelEventKind kind, int value, ulong cycle)
    {
        switch (kind)
        {
            case KernelEventKind.MailboxArrival:
                Mailboxes.Receive(_hardwareMailbox, cycle);
                break;
            case KernelEventKind.PortalInput:
                Portals.InputDone(cycle);
                break;
            case KernelEventKind.PortalOutput:
                Portals.OutputDone(value, cycle);
                break;
            case KernelEventKind.SyncRelease:
                SyncPoints.Released(value, cycle);
                break;
            case KernelEventKind.MailboxAsyncSend:
                Mailboxes.SendPosted(value, cycle);
                break;
            case KernelEventKind.MailboxBacklog:
                Mailboxes.FlushBacklog(cycle);
                break;
            case KernelEventKind.MailboxAsyncDelivered:
                Mailboxes.Delivered(value, cycle);
                break;
            case KernelEventKind.PortalAsyncStart:
                Portals.StartPosted(value, cycle);
                break;
            default:
                RunThreadOperation(value >> 8, value & 0xFF, cycle);
                break;
        }
    }

    /// <summary>The NoC operation a parked thread asked for: send its message or request, signal, start its transfer.</summary>
    private void RunThreadOperation(int slot, int tid, ulong cycle)
    {
        if (!_processes.IsLive(slot) || _state.Thread(slot, tid).State != ThreadStatus.Blocked)
        {
            return;
        }

        switch (_state.Thread(slot, tid).WaitKind)
        {
            case WaitKind.MailboxWrite:
                Mailboxes.Send(slot, tid, cycle);
                break;
            case WaitKind.Service:
                Names.Send(slot, tid, cycle);
                break;
            case WaitKind.SyncSignal:
                SyncPoints.Send(slot, tid, cycle);
                break;
            case WaitKind.PortalRead or WaitKind.PortalWrite:
                Portals.Start(slot, tid, cycle);
                break;
        }
    }

    /// <summary>The IKC entries a process leaving this node would leave behind (a forward per input, a relay or forward per sync point, portal ends).</summary>
    public int NodeEntriesNeeded(int pid) => Mailboxes.NodeEntriesNeeded(pid) + SyncPoints.NodeEntriesNeeded(pid) + Portals.NodeEntriesNeeded(pid);

    /// <summary>The move was called off: what was held for the process is delivered, its portals and sync points go on.</summary>
    public void StayAfterAll(int pid, ulong now)
    {
        Mailboxes.StayAfterAll(pid, now);
        SyncPoints.Resume(pid, now);
        Portals.Resume(pid, now);
    }

    /// <summary>The process moved away: its ends here become forward entries to its new node.</summary>
    public void LeaveBehind(int pid, int targetNode, int move)
    {
        Mailboxes.LeaveBehind(pid);
        SyncPoints.LeaveBehind(pid, targetNode, move);
        Portals.LeaveBehind(pid);
    }

    /// <summary>The process arrived and runs from <paramref name="at"/>: what was held for it is delivered here.</summary>
    public void Resume(int pid, ulong at)
    {
        Mailboxes.Resume(pid, at);
        SyncPoints.Resume(pid, at);
        Portals.Resume(pid, at);
    }

    /// <summary>The process ended: every descriptor it held is closed.</summary>
    public void CloseAll(int pid, ulong now)
    {
        Mailboxes.CloseAll(pid);
        SyncPoints.CloseAll(pid);
        Portals.CloseAll(pid, now);
    }

    /// <summary>Drops the forward entries process <paramref name="pid"/> left here.</summary>
    public void ForgetForwards(int pid)
    {
        Mailboxes.ForgetForwards(pid);
        SyncPoints.ForgetForwards(pid);
        Portals.ForgetForwards(pid);
    }
}
