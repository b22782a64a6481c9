using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Virtual portals over each node's one hardware portal, as in Nanvix: a receiver creates a portal on a port,
/// allows one remote node, and reads; a sender opens the remote (node, port) and writes up to 1 MB. The user buffer
/// moves in one NoC transfer, straight between the two processes' frames (a scatter/gather list of the pages it
/// spans), so nanvix timing charges one α per write, and the hardware cuts it into 4 KB packets. The hardware
/// portal takes one allow at a time: reads on one node are armed one after another, in order of arrival; writes
/// to one remote node go one after another too. A read is matched to its sender by node. Descriptors hold host
/// state (the HAL endpoints) beside the kernel's tables; the number a process knows a descriptor by is its own, kept
/// beside the entry, so that it stays the same when the process moves.
/// <para>
/// Portals follow a process that moves (<see cref="Capture"/>, <see cref="Adopt"/>): an armed read or a write
/// still waiting for its reader is taken back on the source and started again on the target, and the kernels of
/// the process's peers, told by the target (<see cref="PeerMoved"/>), point their portals that paired with it at
/// its new node, taking back and starting again a read armed for, or a write waiting at, the old one.
/// </para>
/// </summary>
internal sealed class PortalCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>Marks an asynchronous requester in the (slot, tid) pairs of the armed transfers: slot = this - id.</summary>
    private const int AsyncSlot = -1000;

    private const int MaxBytes = NetworkOnChip.MaxPortalWriteBytes;
    private const int MaxSegments = (MaxBytes / (int)KernelConstants.PageSize) + 1;

    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly IPortalInput _input;
    private readonly IPortalOutput?[] _outputs;
    private readonly (int Slot, int Tid)[] _writing;
    private readonly int[] _writeTransfer;
    private readonly int[] _owner = new int[KernelConstants.MaxMailboxes];
    private readonly bool[] _isInput = new bool[KernelConstants.MaxMailboxes];
    private readonly int[] _remote = new int[KernelConstants.MaxMailboxes];
    private readonly AsyncOperation[] _pending = new AsyncOperation[KernelConstants.MaxMailboxes];
    private readonly bool[] _started = new bool[KernelConstants.MaxMailboxes];
    private readonly bool[] _done = new bool[KernelConstants.MaxMailboxes];
    private readonly int[] _result = new int[KernelConstants.MaxMailboxes];
    private readonly uint[] _pendingBuffer = new uint[KernelConstants.MaxMailboxes];
    private readonly int[] _pendingSize = new int[KernelConstants.MaxMailboxes];
    private readonly int[] _descriptor = new int[KernelConstants.MaxMailboxes];
    private readonly int[] _port = new int[KernelConstants.MaxMailboxes];

    /// <summary>The sequence number of the last peer move applied to each descriptor (notices may come twice, or late).</summary>
    private readonly int[] _peerSeq = new int[KernelConstants.MaxMailboxes];
    private (int Slot, int Tid) _reading = (-1, -1);

    public PortalCalls(ClusterKernel<TLayout> kernel, INoc noc, int node)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
        _input = noc.CreatePortal(node);
        _input.Notify(kernel, KernelEvent.Of(KernelEventKind.PortalInput, 0));
        _outputs = new IPortalOutput?[noc.Spec.Topology.NodeCount];
        _writing = new (int, int)[noc.Spec.Topology.NodeCount];
        Array.Fill(_writing, (-1, -1));
        _writeTransfer = new int[noc.Spec.Topology.NodeCount];
    }

    public CallResult Create(int pid, int port) => Take(pid, input: true, remote: -1, port);

    public CallResult Open(int pid, int node, int port) =>
        _noc.Spec.Topology.IsValidNode(node) && node != _node ? Take(pid, input: false, node, port) : CallResult.Error(Errno.EINVAL);

    public CallResult Allow(int pid, int descriptor, int node)
    {
        int id = Find(pid, descriptor, input: true);
        if (id < 0 || !_noc.Spec.Topology.IsValidNode(node) || node == _node)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        _remote[id] = node;
        return CallResult.Done(0);
    }

    /// <summary>Parks a reader or writer; its transfer is armed at <paramref name="now"/> through <see cref="Start"/>.</summary>
    public CallResult Transfer(int slot, int tid, int pid, int descriptor, uint size, bool read, ulong now)
    {
        int id = Find(pid, descriptor, input: read);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (read && _remote[id] < 0)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (size == 0)
        {
            return CallResult.Done(0);
        }

        if (size > MaxBytes)
        {
            return CallResult.Error(Errno.EMSGSIZE);
        }

        _kernel.Block(slot, tid, read ? WaitKind.PortalRead : WaitKind.PortalWrite, id);
        _kernel.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    /// <summary>A parked reader or writer's turn may have come: start its transfer if the hardware is free.</summary>
    public void Start(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref _kernel.Context(slot, tid);
        int id = _kernel.State.Thread(slot, tid).WaitObject;
        bool read = _kernel.State.Thread(slot, tid).WaitKind == WaitKind.PortalRead;
        Start(slot, tid, slot, id, context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), read, now);
    }

    /// <summary>An asynchronous operation posted on portal <paramref name="id"/> may start now.</summary>
    public void StartPosted(int id, ulong now)
    {
        int slot = _kernel.Processes.SlotOf(_owner[id]);
        if (slot < 0 || _pending[id] == AsyncOperation.None || _started[id])
        {
            return;
        }

        Start(AsyncSlot - id, 0, slot, id, _pendingBuffer[id], _pendingSize[id], _pending[id] == AsyncOperation.Read, now);
    }

    /// <summary>
    /// Arms a read or starts a write for a requester: a parked thread (<paramref name="who"/> its slot) or an
    /// asynchronous operation (<paramref name="who"/> = AsyncSlot - id); <paramref name="slot"/> owns the buffer.
    /// </summary>
    private void Start(int who, int tid, int slot, int id, uint buffer, int size, bool read, ulong now)
    {
        Span<MemorySegment> segments = stackalloc MemorySegment[MaxSegments];
        int count = _kernel.User(slot).Segments(buffer, size, read ? PagePermissions.Write : PagePermissions.Read, segments);
        if (count < 0)
        {
            Finish(who, tid, -Errno.EFAULT, now);
            return;
        }

        try
        {
            if (read)
            {
                if (_reading.Slot != -1)
                {
                    return;
                }

                _input.Allow(_remote[id], segments[..count]);
                _reading = (who, tid);
                MarkStarted(who);
            }
            else
            {
                int node = _remote[id];
                IPortalOutput output = _outputs[node] ??= OpenOutput(node);
                if (output.IsBusy)
                {
                    return;
                }

                _writeTransfer[node] = output.Write(segments[..count]);
                _writing[node] = (who, tid);
                MarkStarted(who);
            }
        }
        catch (NocException)
        {
            // The write is larger than what the reader allowed (or the reverse).
            Finish(who, tid, -Errno.EMSGSIZE, now);
        }
    }

    /// <summary>
    /// The hardware portal input finished a transfer: answer its reader (with -EIO when the write was lost on the
    /// wires, which the NoC reports as -1 bytes) and arm the next one.
    /// </summary>
    public void InputDone(ulong now)
    {
        if (!_input.TryComplete(out int bytes, out _) || _reading.Slot == -1)
        {
            return;
        }

        (int who, int tid) = _reading;
        _reading = (-1, -1);
        Finish(who, tid, bytes < 0 ? -Errno.EIO : bytes, now);
        Next(WaitKind.PortalRead, -1, now);
    }

    /// <summary>The hardware output towards <paramref name="node"/> delivered: answer its writer and start the next one.</summary>
    public void OutputDone(int node, ulong now)
    {
        (int who, int tid) = _writing[node];
        if (who == -1)
        {
            return;
        }

        _writing[node] = (-1, -1);
        int size = who <= AsyncSlot ? _pendingSize[AsyncSlot - who] : (int)_kernel.Context(who, tid).Get(AbiRegister.A2);
        Finish(who, tid, size, now);
        Next(WaitKind.PortalWrite, node, now);
    }

    public CallResult Close(int pid, int descriptor)
    {
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        _owner[id] = 0;
        _pending[id] = AsyncOperation.None;
        return CallResult.Done(0);
    }

    /// <summary>Posts a read or write without waiting; <see cref="Wait"/> returns what the blocking call would have.</summary>
    public CallResult Post(int pid, int descriptor, uint buffer, uint size, bool read, ulong now)
    {
        int id = Find(pid, descriptor, input: read);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (_pending[id] != AsyncOperation.None)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        if ((read && _remote[id] < 0) || size == 0)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (size > MaxBytes)
        {
            return CallResult.Error(Errno.EMSGSIZE);
        }

        _pending[id] = read ? AsyncOperation.Read : AsyncOperation.Write;
        _pendingBuffer[id] = buffer;
        _pendingSize[id] = (int)size;
        _started[id] = false;
        _done[id] = false;
        _kernel.Defer(now, KernelEventKind.PortalAsyncStart, id);
        return CallResult.Done(0);
    }

    public CallResult Wait(int slot, int tid, int pid, int descriptor)
    {
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (_pending[id] == AsyncOperation.None)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (_done[id])
        {
            _pending[id] = AsyncOperation.None;
            return CallResult.Done(_result[id]);
        }

        _kernel.Block(slot, tid, WaitKind.PortalAsync, id);
        return CallResult.Blocked;
    }

    /// <summary>The node portal <paramref name="id"/> reads from (input) or writes to (output), or -1.</summary>
    public int PeerOf(int id) => (uint)id < (uint)_remote.Length ? _remote[id] : -1;

    private void MarkStarted(int who)
    {
        if (who <= AsyncSlot)
        {
            _started[AsyncSlot - who] = true;
        }
    }

    /// <summary>Answers a requester: wakes a parked thread, or completes an asynchronous operation (and wakes its waiter).</summary>
    private void Finish(int who, int tid, int result, ulong now)
    {
        if (who > AsyncSlot)
        {
            _kernel.Wake(who, tid, result, now);
            return;
        }

        int id = AsyncSlot - who;
        _started[id] = true;
        _done[id] = true;
        _result[id] = result;
        int slot = _kernel.Processes.SlotOf(_owner[id]);
        int waiter = slot < 0 ? -1 : _kernel.FirstWaiter(slot, WaitKind.PortalAsync, id);
        if (waiter >= 0)
        {
            _pending[id] = AsyncOperation.None;
            _kernel.Wake(slot, waiter, result, now);
        }
    }

    /// <summary>The descriptor index a requester (a parked thread, or an asynchronous operation) works on.</summary>
    private int IdOf(int who, int tid) => who <= AsyncSlot ? AsyncSlot - who : _kernel.State.Thread(who, tid).WaitObject;

    private int OwnerOf(int who, int tid) => _owner[IdOf(who, tid)];

    /// <summary>
    /// Takes the portals of <paramref name="pid"/> out for a move: a read armed for it is taken back from the hardware
    /// and writes of its still waiting for their reader are withdrawn (its threads stay parked, to start them again on
    /// the target). Null with the reason, and nothing changed, while a transfer of its is on the wires or a posted
    /// operation is not over.
    /// </summary>
    public List<PortalImage>? Capture(int pid, ulong now, out string? unsettled)
    {
        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == pid && _pending[id] != AsyncOperation.None && !_done[id])
            {
                unsettled = $"portal {_descriptor[id]} has a posted operation under way";
                return null;
            }
        }

        for (int node = 0; node < _writing.Length; node++)
        {
            (int who, int tid) = _writing[node];
            if (who != -1 && OwnerOf(who, tid) == pid && _noc.Transfer(_writeTransfer[node]).State != TransferState.Waiting)
            {
                unsettled = $"a portal write to node {node} is on the wires";
                return null;
            }
        }

        if (_reading.Slot != -1 && OwnerOf(_reading.Slot, _reading.Tid) == pid)
        {
            if (!_input.Revoke())
            {
                unsettled = "a portal read is taking its data";
                return null;
            }

            _reading = (-1, -1);
            Next(WaitKind.PortalRead, -1, now);
        }

        for (int node = 0; node < _writing.Length; node++)
        {
            (int who, int tid) = _writing[node];
            if (who != -1 && OwnerOf(who, tid) == pid && _outputs[node]!.Withdraw())
            {
                _writing[node] = (-1, -1);
                Next(WaitKind.PortalWrite, node, now);
            }
        }

        var images = new List<PortalImage>();
        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == pid)
            {
                images.Add(new PortalImage(
                    id, _descriptor[id], _isInput[id] ? 1 : 0, _remote[id], _port[id], _peerSeq[id], (int)_pending[id], _done[id] ? 1 : 0, _result[id], (int)_pendingBuffer[id], _pendingSize[id]));
            }
        }

        unsettled = null;
        return images;
    }

    /// <summary>
    /// Why process <paramref name="pid"/> can never move to NoC node <paramref name="target"/>: one of its portals pairs
    /// with that node, and a portal does not connect a node to itself. Null when it can.
    /// </summary>
    public string? CannotMoveTo(int pid, int target)
    {
        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == pid && _remote[id] == target)
            {
                return $"its portal {_descriptor[id]} pairs with node {target}, and a portal does not connect a node to itself";
            }
        }

        return null;
    }

    /// <summary>Starts again the portal reads and writes the threads of <paramref name="pid"/> are parked in (after a move, or a move called off).</summary>
    public void Resume(int pid, ulong now)
    {
        int slot = _kernel.Processes.SlotOf(pid);
        for (int t = 0; slot >= 0 && t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = _kernel.State.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.PortalRead or WaitKind.PortalWrite)
            {
                Start(slot, t, now);
            }
        }
    }

    /// <summary>Why this node cannot take <paramref name="images"/> (not enough free descriptors), or null.</summary>
    public string? CannotAdopt(IReadOnlyList<PortalImage> images)
    {
        int free = _owner.Count(o => o == 0);
        return free < images.Count ? $"node {_node} has {free} free portal descriptors, the process needs {images.Count}" : null;
    }

    /// <summary>Takes the portals of a process that moved here; returns the new index of each image, in order.</summary>
    public int[] Adopt(int pid, IReadOnlyList<PortalImage> images)
    {
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            PortalImage image = images[i];
            int id = Array.IndexOf(_owner, 0);
            indices[i] = id;
            _owner[id] = pid;
            _descriptor[id] = image.Descriptor;
            _isInput[id] = image.IsInput != 0;
            _remote[id] = image.Remote;
            _port[id] = image.Port;
            _peerSeq[id] = image.PeerSeq;
            _pending[id] = (AsyncOperation)image.Pending;
            _started[id] = image.Done != 0;
            _done[id] = image.Done != 0;
            _result[id] = image.Result;
            _pendingBuffer[id] = (uint)image.PendingBuffer;
            _pendingSize[id] = image.PendingSize;
        }

        return indices;
    }

    /// <summary>
    /// A process that moved from node <paramref name="from"/> to node <paramref name="to"/> had the portals
    /// <paramref name="moved"/> (input or output, port, remote): the portals here that paired with them — inputs reading
    /// from <paramref name="from"/> on the port of one of its outputs, outputs writing to <paramref name="from"/> on the
    /// port of one of its inputs — now pair with <paramref name="to"/>; a read armed for, or a write waiting at, the
    /// old node is taken back and started again. <paramref name="seq"/> numbers the moves of that process: a notice no
    /// newer than the last one a descriptor followed is stale and changes nothing.
    /// </summary>
    public void PeerMoved(int from, int to, int seq, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now)
    {
        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == 0 || _remote[id] != from || seq <= _peerSeq[id] || !Pairs(id, moved))
            {
                continue;
            }

            _remote[id] = to;
            _peerSeq[id] = seq;
            if (_isInput[id])
            {
                if (_reading.Slot != -1 && IdOf(_reading.Slot, _reading.Tid) == id && _input.Revoke())
                {
                    (int who, int tid) = _reading;
                    _reading = (-1, -1);
                    Restart(who, tid, now);
                }
            }
            else
            {
                (int who, int tid) = _writing[from];
                if (who != -1 && IdOf(who, tid) == id && _outputs[from]!.Withdraw())
                {
                    _writing[from] = (-1, -1);
                    Restart(who, tid, now);
                    Next(WaitKind.PortalWrite, from, now);
                }
                else if (_writing[to].Slot == -1)
                {
                    // A write that waited its turn for the old node now waits for the new one: start it if that output is free.
                    Next(WaitKind.PortalWrite, to, now);
                }
            }
        }
    }

    private bool Pairs(int id, ReadOnlySpan<(bool Input, int Port, int Remote)> moved)
    {
        foreach ((bool input, int port, _) in moved)
        {
            // An input here (reading from the old node) pairs with an output there on its port; an output here (writing to
            // the old node) with an input there on its port. Where that output of the moved process pointed does not
            // matter: it may not have heard yet that this node's own process moved.
            if (input != _isInput[id] && port == _port[id])
            {
                return true;
            }
        }

        return false;
    }

    private void Restart(int who, int tid, ulong now)
    {
        if (who <= AsyncSlot)
        {
            _started[AsyncSlot - who] = false;
            StartPosted(AsyncSlot - who, now);
        }
        else
        {
            Start(who, tid, now);
        }
    }

    /// <summary>True when process <paramref name="pid"/> has a portal open.</summary>
    public bool Holds(int pid) => Array.IndexOf(_owner, pid) >= 0;

    public void CloseAll(int pid)
    {
        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == pid)
            {
                _owner[id] = 0;
            }
        }
    }

    /// <summary>Starts the longest-waiting reader (or writer towards <paramref name="node"/>) of any process.</summary>
    private void Next(WaitKind kind, int node, ulong now)
    {
        AsyncOperation operation = kind == WaitKind.PortalRead ? AsyncOperation.Read : AsyncOperation.Write;
        for (int id = 0; id < _pending.Length; id++)
        {
            if (_pending[id] == operation && !_started[id] && (node < 0 || _remote[id] == node))
            {
                StartPosted(id, now);
                return;
            }
        }

        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (!_kernel.Processes.IsLive(slot))
            {
                continue;
            }

            int first = -1;
            int ticket = int.MaxValue;
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _kernel.State.Thread(slot, t);
                if (thread.State == ThreadStatus.Blocked && thread.WaitKind == kind && thread.WaitTicket < ticket
                    && (node < 0 || _remote[thread.WaitObject] == node))
                {
                    first = t;
                    ticket = thread.WaitTicket;
                }
            }

            if (first >= 0)
            {
                Start(slot, first, now);
                return;
            }
        }
    }

    private IPortalOutput OpenOutput(int node)
    {
        IPortalOutput output = _noc.OpenPortal(_node, node);
        output.Notify(_kernel, KernelEvent.Of(KernelEventKind.PortalOutput, node));
        return output;
    }

    private CallResult Take(int pid, bool input, int remote, int port)
    {
        if ((uint)port >= KernelConstants.MailboxPorts)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        for (int id = 0; id < _owner.Length; id++)
        {
            if (_owner[id] == 0)
            {
                int descriptor = NewDescriptor(pid);
                _owner[id] = pid;
                _isInput[id] = input;
                _remote[id] = remote;
                _port[id] = port;
                _peerSeq[id] = 0;
                _descriptor[id] = descriptor;
                _pending[id] = AsyncOperation.None;
                return CallResult.Done(descriptor);
            }
        }

        return CallResult.Error(Errno.ENOSPC);
    }

    private int NewDescriptor(int pid)
    {
        for (int descriptor = 0; ; descriptor++)
        {
            if (Find(pid, descriptor) < 0)
            {
                return descriptor;
            }
        }
    }

    /// <summary>The index of descriptor <paramref name="descriptor"/> of process <paramref name="pid"/>, or -1.</summary>
    private int Find(int pid, int descriptor)
    {
        for (int id = 0; pid != 0 && id < _owner.Length; id++)
        {
            if (_owner[id] == pid && _descriptor[id] == descriptor)
            {
                return id;
            }
        }

        return -1;
    }

    private int Find(int pid, int descriptor, bool input)
    {
        int id = Find(pid, descriptor);
        return id >= 0 && _isInput[id] == input ? id : -1;
    }
}
