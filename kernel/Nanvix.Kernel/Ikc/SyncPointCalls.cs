using System.Buffers.Binary;
using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Sync points between clusters, over the NoC's control network: one-to-all (nodes[0] signals, the others wait)
/// and all-to-one (the others signal, nodes[0] waits until all have). A wait blocks until the release; a signal
/// returns once it is on the network. The descriptors hold the HAL endpoints, which are host objects: they are
/// kept beside the kernel's tables, not in cluster memory.
/// </summary>
internal sealed class SyncPointCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    private const int MaxNodes = 32;

    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly ISyncInput?[] _inputs = new ISyncInput?[KernelConstants.MaxSyncPoints];
    private readonly ISyncOutput?[] _outputs = new ISyncOutput?[KernelConstants.MaxSyncPoints];
    private readonly int[] _owners = new int[KernelConstants.MaxSyncPoints];
    private readonly int[][] _members = new int[KernelConstants.MaxSyncPoints][];

    public SyncPointCalls(ClusterKernel<TLayout> kernel, INoc noc, int node)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
    }

    public CallResult Create(int slot, int pid, uint nodes, uint count, uint mode, bool input)
    {
        Span<int> list = stackalloc int[MaxNodes];
        if (count < 2 || count > MaxNodes || mode > 1)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        Span<byte> raw = stackalloc byte[(int)count * 4];
        if (!_kernel.User(slot).CopyFrom(nodes, raw))
        {
            return CallResult.Error(Errno.EFAULT);
        }

        for (int i = 0; i < (int)count; i++)
        {
            list[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
        }

        int id = Array.FindIndex(_owners, o => o == 0);
        if (id < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        var syncMode = mode == 0 ? SyncMode.OneToAll : SyncMode.AllToOne;
        try
        {
            if (input)
            {
                ISyncInput endpoint = _noc.CreateSync(_node, list[..(int)count], syncMode);
                endpoint.Notify(_kernel, KernelEvent.Of(KernelEventKind.SyncRelease, id));
                _inputs[id] = endpoint;
            }
            else
            {
                _outputs[id] = _noc.OpenSync(_node, list[..(int)count], syncMode);
            }
        }
        catch (NocException)
        {
            // A bad node, a duplicate, this node in the wrong role, or the same point twice.
            return CallResult.Error(Errno.EINVAL);
        }

        _owners[id] = pid;
        _members[id] = list[..(int)count].ToArray();
        return CallResult.Done(id);
    }

    public CallResult Wait(int slot, int tid, int pid, int id)
    {
        if (!Owns(pid, id) || _inputs[id] is not { } input)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (input.TryWait())
        {
            return CallResult.Done(0);
        }

        _kernel.Block(slot, tid, WaitKind.SyncWait, id);
        return CallResult.Blocked;
    }

    public CallResult Signal(int slot, int tid, int pid, int id, ulong now)
    {
        if (!Owns(pid, id) || _outputs[id] is null)
        {
            return CallResult.Error(Errno.EBADF);
        }

        _kernel.Block(slot, tid, WaitKind.SyncSignal, id);
        _kernel.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    public CallResult Close(int pid, int id)
    {
        if (!Owns(pid, id))
        {
            return CallResult.Error(Errno.EBADF);
        }

        _inputs[id]?.Dispose();
        _outputs[id]?.Dispose();
        _inputs[id] = null;
        _outputs[id] = null;
        _owners[id] = 0;
        return CallResult.Done(0);
    }

    /// <summary>True when process <paramref name="pid"/> has a sync point open.</summary>
    public bool Holds(int pid) => Array.IndexOf(_owners, pid) >= 0;

    public void CloseAll(int pid)
    {
        for (int id = 0; id < KernelConstants.MaxSyncPoints; id++)
        {
            if (_owners[id] == pid)
            {
                Close(pid, id);
            }
        }
    }

    /// <summary>Sends the signal of a thread parked by <see cref="Signal"/>, now that simulated time has reached it.</summary>
    public void Send(int slot, int tid, ulong now)
    {
        int id = (int)_kernel.Context(slot, tid).Get(AbiRegister.A0);
        _outputs[id]?.Signal();
        _kernel.Wake(slot, tid, 0, now);
    }

    /// <summary>Sync point <paramref name="id"/> was released: wake the thread that waits on it, if any.</summary>
    public void Released(int id, ulong now)
    {
        int slot = _kernel.Processes.SlotOf(_owners[id]);
        if (slot < 0 || _inputs[id] is not { } input)
        {
            return;
        }

        int waiter = _kernel.FirstWaiter(slot, WaitKind.SyncWait, id);
        if (waiter >= 0 && input.TryWait())
        {
            _kernel.Wake(slot, waiter, 0, now);
        }
    }

    /// <summary>The nodes of sync point <paramref name="id"/> (empty when it is closed).</summary>
    public ReadOnlySpan<int> MembersOf(int id) => _owners[id] != 0 ? _members[id] : [];

    private bool Owns(int pid, int id) => (uint)id < KernelConstants.MaxSyncPoints && _owners[id] == pid && pid != 0;
}
