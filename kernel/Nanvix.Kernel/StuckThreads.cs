using System.Text;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel;

/// <summary>
/// Threads that nothing will wake: those waiting on a portal or sync point whose peer node has no live process left
/// (answered ECONNRESET), and processes whose threads are all blocked (killed, with who waits on whom).
/// </summary>
internal sealed class StuckThreads<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>Exit status of a process killed for a deadlock: 128 + SIGKILL, as if it had been killed from outside.</summary>
    public const int DeadlockStatus = 137;

    private readonly string _cluster;
    private readonly int _node;
    private readonly ProcessTable _processes;
    private readonly KernelState<TLayout> _state;
    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _manager;
    private readonly IkcLayer<TLayout>? _ikc;
    private readonly EventScheduler? _events;

    public StuckThreads(
        string cluster, int node, ProcessTable processes, KernelState<TLayout> state, ThreadManager<TLayout> threads, ProcessManager<TLayout> manager,
        IkcLayer<TLayout>? ikc, EventScheduler? events)
    {
        _cluster = cluster;
        _node = node;
        _processes = processes;
        _state = state;
        _threads = threads;
        _manager = manager;
        _ikc = ikc;
        _events = events;
    }

    /// <summary>Answers ECONNRESET to every thread that waits on a peer node without a live process (<paramref name="nodeHasProcess"/> tells); returns how many.</summary>
    public int FailWaitsOnEndedPeers(Func<int, bool> nodeHasProcess)
    {
        int answered = 0;
        ulong now = _events?.Now ?? 0;
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            for (int t = 0; _processes.IsLive(slot) && t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _state.Thread(slot, t);
                if (thread.State == ThreadStatus.Blocked && WaitsOnEndedPeer(thread, nodeHasProcess))
                {
                    if (thread.WaitKind is WaitKind.PortalRead or WaitKind.PortalWrite)
                    {
                        // The hardware gives back what it held for the transfer that will not happen.
                        _ikc!.Portals.Abandon(thread.WaitObject, slot, t, now);
                    }

                    _threads.Wake(slot, t, -Errno.ECONNRESET, now);
                    answered++;
                }
            }
        }

        return answered;
    }

    private bool WaitsOnEndedPeer(in ThreadEntry thread, Func<int, bool> nodeHasProcess)
    {
        switch (thread.WaitKind)
        {
            case WaitKind.PortalRead or WaitKind.PortalWrite:
                int peer = _ikc?.Portals.PeerOf(thread.WaitObject) ?? -1;
                return peer >= 0 && !nodeHasProcess(peer);
            case WaitKind.SyncWait:
                if (_ikc is not { } ikc)
                {
                    return false;
                }

                for (int i = 0; i < ikc.SyncPoints.MemberCount(thread.WaitObject); i++)
                {
                    int node = ikc.SyncPoints.Member(thread.WaitObject, i);
                    if (node != _node && !nodeHasProcess(node))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// No thread is ready: every live process has only blocked threads, and nothing can wake them.
    /// Each such process is killed with who waits on whom.
    /// </summary>
    public void KillDeadlocked()
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (!_processes.IsLive(slot))
            {
                continue;
            }

            var waits = new StringBuilder();
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _state.Thread(slot, t);
                if (thread.State != ThreadStatus.Blocked)
                {
                    continue;
                }

                if (waits.Length > 0)
                {
                    waits.Append("; ");
                }

                waits.Append($"thread {t} {DescribeWait(slot, thread)}");
            }

            _manager.Terminate(slot, DeadlockStatus, $"{_cluster}: process {_processes[slot].Pid} killed: deadlock: {waits}");
        }
    }

    private string DescribeWait(int slot, in ThreadEntry thread) => thread.WaitKind switch
    {
        WaitKind.Join => $"joins thread {thread.WaitObject}",
        WaitKind.Mutex => $"waits for mutex {thread.WaitObject} (held by thread {_state.Mutex(slot, thread.WaitObject).Owner})",
        WaitKind.Semaphore => $"waits on semaphore {thread.WaitObject}",
        WaitKind.Condition => $"waits on condition {thread.WaitObject}",
        WaitKind.Sleep => "sleeps",
        WaitKind.MailboxRead => $"waits for a message on mailbox {thread.WaitObject}",
        WaitKind.MailboxWrite => $"waits for its message on mailbox {thread.WaitObject} to be delivered",
        WaitKind.Service => "waits for a multikernel service (name or spawn)",
        WaitKind.SyncWait => $"waits on sync point {thread.WaitObject}",
        WaitKind.PortalRead => $"waits to read from portal {thread.WaitObject}",
        WaitKind.MailboxAsync => $"waits for the asynchronous operation on mailbox {thread.WaitObject}",
        WaitKind.PortalAsync => $"waits for the asynchronous operation on portal {thread.WaitObject}",
        WaitKind.Migration => $"waits to move to node {thread.WaitObject}",
        WaitKind.PageFetch => $"waits for its page 0x{(uint)thread.WaitObject:x8} from the cluster it was post-copied from",
        WaitKind.PortalWrite => $"waits for its write on portal {thread.WaitObject} to be delivered",
        WaitKind.SyncSignal => $"waits for its signal on sync point {thread.WaitObject} to leave",
        _ => "waits",
    };
}
