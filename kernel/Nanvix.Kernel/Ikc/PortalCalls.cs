using System.Runtime.CompilerServices;
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
/// to one remote node go one after another too. A read is matched to its sender by node. The descriptors live in
/// the kernel's portal table in kernel data (<see cref="PortalEntry"/>); what this class keeps beside it is the
/// hardware's side: the HAL endpoints, and which descriptor's transfer each of them carries now.
/// <para>
/// Portals follow a process that moves (<see cref="Capture"/>, <see cref="Adopt"/>): an armed read or a write
/// still waiting for its reader — blocking or posted — is taken back on the source and started again on the target,
/// and the kernels of the process's peers, told by the target (<see cref="PeerMoved"/>), point their portals that
/// paired with it at its new node, taking back and starting again a read armed for, or a write waiting at, the old
/// one. A portal addressed by node pairs with the process at that node whose portal of the other kind has the same
/// port; once it has followed a process, it follows that process only, by the numbers of its moves.
/// </para>
/// </summary>
internal sealed class PortalCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    private const int MaxBytes = NetworkOnChip.MaxPortalWriteBytes;
    private const int MaxSegments = (MaxBytes / (int)KernelConstants.PageSize) + 1;

    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly IkcTable<TLayout> _table;
    private readonly IPortalInput _input;
    private readonly IPortalOutput?[] _outputs;

    /// <summary>The transfer each hardware output carries now (by remote node), and its NoC transfer number.</summary>
    private readonly Requester[] _writing;
    private readonly int[] _writeTransfer;

    /// <summary>The read the hardware input is armed for now.</summary>
    private Requester _reading = Requester.None;

    /// <summary>The process whose portals <see cref="Capture"/> is taking out: the hardware is never given to it meanwhile.</summary>
    private int _capturing;

    public PortalCalls(ClusterKernel<TLayout> kernel, INoc noc, int node, IkcTable<TLayout> table)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
        _table = table;
        _input = noc.CreatePortal(node);
        _input.Notify(kernel, KernelEvent.Of(KernelEventKind.PortalInput, 0));
        _outputs = new IPortalOutput?[noc.Spec.Topology.NodeCount];
        _writing = new Requester[noc.Spec.Topology.NodeCount];
        Array.Fill(_writing, Requester.None);
        _writeTransfer = new int[noc.Spec.Topology.NodeCount];
    }

    private ref PortalEntry Entry(int id) => ref _table.At<PortalEntry>(id);

    public CallResult Create(int pid, int port) => Take(pid, PortalEntry.Input, remote: -1, port);

    public CallResult Open(int pid, int node, int port) =>
        !_noc.Spec.Topology.IsValidNode(node) || node == _node ? CallResult.Error(Errno.EINVAL)
        : HeldFor(PortalEntry.LeftOutput, node, pid) ?? Take(pid, PortalEntry.Output, node, port);

    /// <summary>
    /// EBUSY when a process other than <paramref name="pid"/> that moved away left a portal of kind <paramref name="left"/>
    /// towards <paramref name="node"/> here: until its peer there has followed it, the hardware would match that peer's
    /// transfers with this node's by node alone, so no one else here may pair with that node while it lives; else null.
    /// </summary>
    private CallResult? HeldFor(int left, int node, int pid)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (Entry(id).Kind == left && Entry(id).Remote == node && Entry(id).OwnerPid != pid)
            {
                return CallResult.Error(Errno.EBUSY);
            }
        }

        return null;
    }

    /// <summary>
    /// The process moved away: each of its portals that pairs with a node leaves an entry that keeps that node's
    /// transfers from matching another process here (<see cref="PortalEntry.LeftInput"/>, <see cref="PortalEntry.LeftOutput"/>).
    /// </summary>
    public void LeaveBehind(int pid)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (!IsLive(entry) || entry.OwnerPid != pid || entry.Remote < 0)
            {
                continue;
            }

            int kind = LeftBy(entry.Kind);
            int remote = entry.Remote;
            int port = entry.Port;
            entry = default;
            entry.Kind = kind;
            entry.OwnerPid = pid;
            entry.Port = port;
            entry.Remote = remote;
            _table.ForNode(id);
        }
    }

    /// <summary>The node entries the portals of <paramref name="pid"/> leave behind if it moves away.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            needed += IsLive(Entry(id)) && Entry(id).OwnerPid == pid && Entry(id).Remote >= 0 ? 1 : 0;
        }

        return needed;
    }

    /// <summary>Drops what process <paramref name="pid"/> left here (it ended, or it is back).</summary>
    public void ForgetForwards(int pid)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (!IsLive(Entry(id)) && Entry(id).OwnerPid == pid)
            {
                Entry(id) = default;
            }
        }
    }

    private static bool IsLive(in PortalEntry entry) => entry.Kind is PortalEntry.Input or PortalEntry.Output;

    private static int LeftBy(int kind) => kind == PortalEntry.Input ? PortalEntry.LeftInput : PortalEntry.LeftOutput;

    public CallResult Allow(int pid, int descriptor, int node)
    {
        int id = Find(pid, descriptor, PortalEntry.Input);
        if (id < 0 || !_noc.Spec.Topology.IsValidNode(node) || node == _node)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (HeldFor(PortalEntry.LeftInput, node, pid) is { } held)
        {
            return held;
        }

        ref PortalEntry entry = ref Entry(id);
        if (entry.Remote != node)
        {
            // A new peer: what this portal followed of the old one does not apply to it.
            entry.PeerPid = 0;
            entry.PeerMove = 0;
        }

        entry.Remote = node;
        return CallResult.Done(0);
    }

    /// <summary>Parks a reader or writer; its transfer is armed at <paramref name="now"/> through <see cref="Start"/>.</summary>
    public CallResult Transfer(int slot, int tid, int pid, int descriptor, uint size, bool read, ulong now)
    {
        int id = Find(pid, descriptor, read ? PortalEntry.Input : PortalEntry.Output);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (read && Entry(id).Remote < 0)
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
        Start(new Requester(id, slot, tid), context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), read, now);
    }

    /// <summary>An asynchronous operation posted on portal <paramref name="id"/> may start now (not while its process is frozen).</summary>
    public void StartPosted(int id, ulong now)
    {
        ref PortalEntry entry = ref Entry(id);
        if (!IsLive(entry) || entry.Pending == AsyncOperation.None || entry.PendingStarted != 0 || entry.PendingDone != 0
            || _kernel.Processes.SlotOf(entry.OwnerPid) < 0)
        {
            return;
        }

        Start(new Requester(id, -1, 0), entry.PendingBuffer, entry.PendingSize, entry.Pending == AsyncOperation.Read, now);
    }

    /// <summary>Arms a read or starts a write for a requester: a parked thread, or the asynchronous operation of its descriptor.</summary>
    private void Start(Requester who, uint buffer, int size, bool read, ulong now)
    {
        int slot = _kernel.Processes.SlotOf(Entry(who.Id).OwnerPid);
        if (slot < 0)
        {
            return;
        }

        Span<MemorySegment> segments = stackalloc MemorySegment[MaxSegments];
        int count = _kernel.User(slot).Segments(buffer, size, read ? PagePermissions.Write : PagePermissions.Read, segments);
        if (count < 0)
        {
            Finish(who, -Errno.EFAULT, now);
            return;
        }

        try
        {
            if (read)
            {
                if (!_reading.IsNone)
                {
                    return;
                }

                _input.Allow(Entry(who.Id).Remote, segments[..count]);
                _reading = who;
            }
            else
            {
                int node = Entry(who.Id).Remote;
                IPortalOutput output = _outputs[node] ??= OpenOutput(node);
                if (output.IsBusy)
                {
                    return;
                }

                _writeTransfer[node] = output.Write(segments[..count]);
                _writing[node] = who;
            }

            if (who.IsAsync)
            {
                Entry(who.Id).PendingStarted = 1;
            }
        }
        catch (NocException)
        {
            // The write is larger than what the reader allowed (or the reverse).
            Finish(who, -Errno.EMSGSIZE, now);
        }
    }

    /// <summary>
    /// The hardware portal input finished a transfer: answer its reader (with -EIO when the write was lost on the
    /// wires, which the NoC reports as -1 bytes) and arm the next one.
    /// </summary>
    public void InputDone(ulong now)
    {
        if (!_input.TryComplete(out int bytes, out _) || _reading.IsNone)
        {
            return;
        }

        Requester who = _reading;
        _reading = Requester.None;
        Finish(who, bytes < 0 ? -Errno.EIO : bytes, now);
        Next(WaitKind.PortalRead, -1, now);
    }

    /// <summary>The hardware output towards <paramref name="node"/> delivered: answer its writer and start the next one.</summary>
    public void OutputDone(int node, ulong now)
    {
        Requester who = _writing[node];
        if (who.IsNone)
        {
            return;
        }

        _writing[node] = Requester.None;
        int size = who.IsAsync ? Entry(who.Id).PendingSize : (int)_kernel.Context(who.Slot, who.Tid).Get(AbiRegister.A2);
        Finish(who, size, now);
        Next(WaitKind.PortalWrite, node, now);
    }

    public CallResult Close(int pid, int descriptor, ulong now)
    {
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        // A transfer the hardware still holds for it is taken back (one on the wires lands, and is answered to no one).
        Release(id, Entry(id).Remote, now);
        Entry(id) = default;
        return CallResult.Done(0);
    }

    /// <summary>Posts a read or write without waiting; <see cref="Wait"/> returns what the blocking call would have.</summary>
    public CallResult Post(int pid, int descriptor, uint buffer, uint size, bool read, ulong now)
    {
        int id = Find(pid, descriptor, read ? PortalEntry.Input : PortalEntry.Output);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        ref PortalEntry entry = ref Entry(id);
        if (entry.Pending != AsyncOperation.None)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        if ((read && entry.Remote < 0) || size == 0)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (size > MaxBytes)
        {
            return CallResult.Error(Errno.EMSGSIZE);
        }

        entry.Pending = read ? AsyncOperation.Read : AsyncOperation.Write;
        entry.PendingBuffer = buffer;
        entry.PendingSize = (int)size;
        entry.PendingStarted = 0;
        entry.PendingDone = 0;
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

        ref PortalEntry entry = ref Entry(id);
        if (entry.Pending == AsyncOperation.None)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (entry.PendingDone != 0)
        {
            entry.Pending = AsyncOperation.None;
            return CallResult.Done(entry.PendingResult);
        }

        _kernel.Block(slot, tid, WaitKind.PortalAsync, id);
        return CallResult.Blocked;
    }

    /// <summary>The node portal <paramref name="id"/> reads from (input) or writes to (output), or -1.</summary>
    public int PeerOf(int id) => (uint)id < (uint)_table.Count && _table.Is<PortalEntry>(id) && IsLive(Entry(id)) ? Entry(id).Remote : -1;

    /// <summary>
    /// A thread parked on portal <paramref name="id"/> is answered without its transfer (its peer ended): the hardware
    /// gives back the read armed, or the write waiting, for it.
    /// </summary>
    public void Abandon(int id, int slot, int tid, ulong now) => Release(id, Entry(id).Remote, now, new Requester(id, slot, tid));

    /// <summary>
    /// Takes back from the hardware the transfer of descriptor <paramref name="id"/> (or only that of
    /// <paramref name="only"/>): the read armed for it, or its write still waiting at node <paramref name="remote"/>;
    /// the next waiting transfer of any process starts in its place. False when it is on the wires (nothing changed).
    /// </summary>
    private bool Release(int id, int remote, ulong now, Requester? only = null)
    {
        bool Held(Requester r) => !r.IsNone && r.Id == id && (only is null || r == only);

        if (Held(_reading))
        {
            if (!_input.Revoke())
            {
                return false;
            }

            _reading = Requester.None;
            Next(WaitKind.PortalRead, -1, now);
        }

        if ((uint)remote < (uint)_writing.Length && Held(_writing[remote]))
        {
            if (!_outputs[remote]!.Withdraw())
            {
                return false;
            }

            _writing[remote] = Requester.None;
            Next(WaitKind.PortalWrite, remote, now);
        }

        return true;
    }

    /// <summary>Answers a requester: wakes a parked thread, or completes an asynchronous operation (and wakes its waiter).</summary>
    private void Finish(Requester who, int result, ulong now)
    {
        if (!who.IsAsync)
        {
            _kernel.Wake(who.Slot, who.Tid, result, now);
            return;
        }

        ref PortalEntry entry = ref Entry(who.Id);
        if (!IsLive(entry) || entry.Pending == AsyncOperation.None)
        {
            return;
        }

        entry.PendingStarted = 1;
        entry.PendingDone = 1;
        entry.PendingResult = result;
        int slot = _kernel.Processes.SlotOf(entry.OwnerPid);
        int waiter = slot < 0 ? -1 : _kernel.FirstWaiter(slot, WaitKind.PortalAsync, who.Id);
        if (waiter >= 0)
        {
            entry.Pending = AsyncOperation.None;
            _kernel.Wake(slot, waiter, result, now);
        }
    }

    /// <summary>
    /// Takes the portals of <paramref name="pid"/> out for a move: a read armed for it is taken back from the hardware
    /// and writes of its still waiting for their reader are withdrawn — blocking ones (their threads stay parked, to
    /// start again on the target) and posted ones alike. Null with the reason, and nothing changed, while a transfer
    /// of its is on the wires.
    /// </summary>
    public List<PortalImage>? Capture(int pid, ulong now, out string? unsettled)
    {
        for (int node = 0; node < _writing.Length; node++)
        {
            Requester who = _writing[node];
            if (!who.IsNone && Entry(who.Id).OwnerPid == pid && _noc.Transfer(_writeTransfer[node]).State != TransferState.Waiting)
            {
                unsettled = $"a portal write to node {node} is on the wires";
                return null;
            }
        }

        // What the hardware takes up after a read or write of this process is taken back is another process's, never
        // this one's (its parked threads are still blocked on their reads and writes: they start again on the target).
        _capturing = pid;
        if (!_reading.IsNone && Entry(_reading.Id).OwnerPid == pid && !Release(_reading.Id, -1, now))
        {
            _capturing = 0;
            unsettled = "a portal read is taking its data";
            return null;
        }

        for (int node = 0; node < _writing.Length; node++)
        {
            Requester who = _writing[node];
            if (!who.IsNone && Entry(who.Id).OwnerPid == pid)
            {
                Release(who.Id, node, now);
            }
        }

        _capturing = 0;
        var images = new List<PortalImage>();
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (IsLive(entry) && entry.OwnerPid == pid)
            {
                if (entry.PendingDone == 0)
                {
                    // Taken back, or never started: it starts again on the target.
                    entry.PendingStarted = 0;
                }

                images.Add(new PortalImage(id, entry));
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
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (IsLive(Entry(id)) && Entry(id).OwnerPid == pid && Entry(id).Remote == target)
            {
                return $"its portal {Entry(id).Descriptor} pairs with node {target}, and a portal does not connect a node to itself";
            }
        }

        return null;
    }

    /// <summary>Starts again the portal reads and writes of <paramref name="pid"/> — its parked threads' and its posted ones — after a move, or a move called off.</summary>
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

        for (int id = slot >= 0 ? _table.First<PortalEntry>() : -1; id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (IsLive(Entry(id)) && Entry(id).OwnerPid == pid)
            {
                StartPosted(id, now);
            }
        }
    }

    /// <summary>
    /// Why this node cannot take the portals <paramref name="images"/> of process <paramref name="pid"/> coming from node
    /// <paramref name="source"/>, or null: it would pair with a process here (a portal does not connect a node to
    /// itself). Room in the table is asked of the table.
    /// </summary>
    public string? CannotAdopt(int pid, int source, IReadOnlyList<PortalImage> images)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);

            // What another process that moved away left here keeps its peer's node from this one's portals of that kind.
            if (!IsLive(entry))
            {
                foreach (PortalImage image in images)
                {
                    if (entry.OwnerPid != pid && image.Entry.Remote >= 0 && image.Entry.Remote == entry.Remote && LeftBy(image.Entry.Kind) == entry.Kind)
                    {
                        return $"node {_node} keeps node {entry.Remote}'s portal for process {entry.OwnerPid}, which left";
                    }
                }

                continue;
            }

            // A process here that reads from or writes to the node the process leaves, on the port of one of its
            // portals of the other kind, is its peer.
            foreach (PortalImage image in images)
            {
                if (entry.OwnerPid != pid && entry.Remote == source && entry.Kind != image.Entry.Kind && entry.Port == image.Entry.Port)
                {
                    return $"portal {image.Entry.Descriptor} pairs with process {entry.OwnerPid} here; a portal does not connect a node to itself";
                }
            }
        }

        foreach (PortalImage image in images)
        {
            if (image.Entry.Remote == _node)
            {
                return $"portal {image.Entry.Descriptor} pairs with this node; a portal does not connect a node to itself";
            }
        }

        return null;
    }

    /// <summary>Takes the portals of a process that moved here (checked by <see cref="CannotAdopt"/>); returns the new index of each image, in order.</summary>
    public int[] Adopt(int slot, int pid, IReadOnlyList<PortalImage> images)
    {
        // Back where it left portals: what it left here gives way to the portals it brings.
        ForgetForwards(pid);
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            int id = _table.Free(slot);
            indices[i] = id;
            Entry(id) = images[i].Entry;
        }

        return indices;
    }

    /// <summary>
    /// Process <paramref name="pid"/> moved (its move number <paramref name="move"/>) from node <paramref name="from"/>
    /// to node <paramref name="to"/> with the portals <paramref name="moved"/> (input or output, port, remote). The portals
    /// here that pair with it — inputs on the port of one of its outputs, outputs on the port of one of its inputs, that
    /// point at either node and follow no other process — now point at <paramref name="to"/>, unless they followed a
    /// later move of it already (notices may come twice, or late); a read armed for, or a write waiting at, the old
    /// node is taken back and started again.
    /// </summary>
    public void PeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (!IsLive(entry) || entry.OwnerPid == pid || (entry.Remote != from && entry.Remote != to)
                || (entry.PeerPid != 0 && entry.PeerPid != pid) || (entry.PeerPid == pid && move <= entry.PeerMove) || !Pairs(entry, moved))
            {
                continue;
            }

            entry.PeerPid = pid;
            entry.PeerMove = move;
            int old = entry.Remote;
            if (old == to)
            {
                continue;
            }

            entry.Remote = to;
            if (entry.Kind == PortalEntry.Input)
            {
                Requester reading = _reading;
                if (!reading.IsNone && reading.Id == id && Release(id, -1, now))
                {
                    Restart(reading, now);
                }
            }
            else
            {
                Requester writing = _writing[old];
                if (!writing.IsNone && writing.Id == id && Release(id, old, now))
                {
                    Restart(writing, now);
                }
                else if (_writing[to].IsNone)
                {
                    // A write that waited its turn for the old node now waits for the new one: start it if that output is free.
                    Next(WaitKind.PortalWrite, to, now);
                }
            }
        }
    }

    private static bool Pairs(in PortalEntry entry, ReadOnlySpan<(bool Input, int Port, int Remote)> moved)
    {
        foreach ((bool input, int port, _) in moved)
        {
            // An input here (reading from the old node) pairs with an output there on its port; an output here (writing to
            // the old node) with an input there on its port. Where that output of the moved process pointed does not
            // matter: it may not have heard yet that this node's own process moved.
            if (input != (entry.Kind == PortalEntry.Input) && port == entry.Port)
            {
                return true;
            }
        }

        return false;
    }

    private void Restart(Requester who, ulong now)
    {
        if (who.IsAsync)
        {
            Entry(who.Id).PendingStarted = 0;
            StartPosted(who.Id, now);
        }
        else
        {
            Start(who.Slot, who.Tid, now);
        }
    }


    /// <summary>Frees the portals of a process that ended or left, taking back what the hardware still held for them.</summary>
    public void CloseAll(int pid, ulong now)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (IsLive(Entry(id)) && Entry(id).OwnerPid == pid)
            {
                Release(id, Entry(id).Remote, now);
                Entry(id) = default;
            }
        }
    }

    /// <summary>Starts the longest-waiting reader (or writer towards <paramref name="node"/>) of any process.</summary>
    private void Next(WaitKind kind, int node, ulong now)
    {
        AsyncOperation operation = kind == WaitKind.PortalRead ? AsyncOperation.Read : AsyncOperation.Write;
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (IsLive(entry) && entry.Pending == operation && entry.PendingStarted == 0 && entry.PendingDone == 0
                && (node < 0 || entry.Remote == node) && entry.OwnerPid != _capturing && _kernel.Processes.SlotOf(entry.OwnerPid) >= 0)
            {
                StartPosted(id, now);
                return;
            }
        }

        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (!_kernel.Processes.IsLive(slot) || _kernel.Processes[slot].Pid == _capturing)
            {
                continue;
            }

            int first = -1;
            int ticket = int.MaxValue;
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _kernel.State.Thread(slot, t);
                if (thread.State == ThreadStatus.Blocked && thread.WaitKind == kind && thread.WaitTicket < ticket
                    && (node < 0 || Entry(thread.WaitObject).Remote == node))
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

    private CallResult Take(int pid, int kind, int remote, int port)
    {
        if ((uint)port >= KernelConstants.MailboxPorts)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        int slot = _kernel.Processes.SlotOf(pid);
        int id = slot >= 0 ? _table.Free(slot) : -1;
        if (id < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        int descriptor = NewDescriptor(pid);
        ref PortalEntry entry = ref Entry(id);
        entry = default;
        entry.Kind = kind;
        entry.OwnerPid = pid;
        entry.Descriptor = descriptor;
        entry.Port = port;
        entry.Remote = remote;
        return CallResult.Done(descriptor);
    }

    private int NewDescriptor(int pid) => _table.NewDescriptor<PortalEntry>(pid);

    /// <summary>The index of descriptor <paramref name="descriptor"/> of process <paramref name="pid"/>, or -1.</summary>
    private int Find(int pid, int descriptor) => _table.Find<PortalEntry>(pid, descriptor);

    private int Find(int pid, int descriptor, int kind)
    {
        int id = Find(pid, descriptor);
        return id >= 0 && Entry(id).Kind == kind ? id : -1;
    }

    /// <summary>Who a hardware transfer is for: a parked thread (<see cref="Slot"/>, <see cref="Tid"/>), or, with <see cref="Slot"/> -1, the operation posted on descriptor <see cref="Id"/>.</summary>
    private readonly record struct Requester(int Id, int Slot, int Tid)
    {
        public static readonly Requester None = new(-1, -1, -1);

        public bool IsNone => Id < 0;

        public bool IsAsync => Slot < 0;
    }
}
