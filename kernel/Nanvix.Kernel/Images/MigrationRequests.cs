using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Images;

/// <summary>
/// The <c>migrate</c> call's side in the kernel: the request posted to the cluster's migration daemon, the caller parked
/// until the move ends, and the answer to every thread of the process that waits for it.
/// </summary>
internal sealed class MigrationRequests<TLayout>(ProcessTable processes, ThreadManager<TLayout> threads)
    where TLayout : struct, IProcessLayout
{
    /// <summary>The cluster's migration daemon (null outside a multikernel: the call answers ENOSYS).</summary>
    public IMigrationEndpoint? Endpoint { get; set; }

    /// <summary>Posts the caller's request to move its process to the cluster of <paramref name="node"/> (copied as <paramref name="mode"/> says), and parks it until the move ends.</summary>
    public CallResult Request(int slot, int tid, int node, int mode)
    {
        if (Endpoint is not { } daemon)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        if (!daemon.Request(processes[slot].Pid, node, mode))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        threads.Block(slot, tid, WaitKind.Migration, node);
        return CallResult.Blocked;
    }

    /// <summary>Answers the threads of <paramref name="pid"/> that wait for their move with <paramref name="result"/>.</summary>
    public void Complete(int pid, int result)
    {
        int slot = processes.SlotOf(pid);
        if (slot >= 0)
        {
            threads.WakeAll(slot, WaitKind.Migration, result);
        }
    }
}
