using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Sync points between clusters, over the NoC's control network: one-to-all (nodes[0] signals, the others wait)
/// and all-to-one (the others signal, nodes[0] waits until all have). A wait blocks until the release; a signal
/// returns once it is on the network. The descriptors live in the kernel's sync table in kernel data
/// (<see cref="SyncEntry"/>); the HAL endpoints, host objects, are kept beside it by entry.
/// <para>
/// The hardware matches signals by node, so a sync point stays where it was made (its home) when its process moves:
/// the entry left at home becomes a relay that sends the releases it sees to the process and signals when the process
/// asks, by kernel messages (<see cref="SyncMessage"/>); the process's entry moves with it, releases not yet waited
/// for included, and tells home where it is after each move; an entry left on a node the process passed through sends
/// on what still reaches it. Back home, the relay is the process's own entry again.
/// </para>
/// </summary>
internal sealed class SyncPointCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly IkcTable<TLayout> _table;

    /// <summary>The HAL endpoints of the sync points made here, by <see cref="SyncEntry.Handle"/> (an entry moves in the table; its endpoint does not).</summary>
    private readonly ISyncInput?[] _inputs;
    private readonly ISyncOutput?[] _outputs;

    public SyncPointCalls(ClusterKernel<TLayout> kernel, INoc noc, int node, IkcTable<TLayout> table)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
        _table = table;
        _inputs = new ISyncInput?[table.Count];
        _outputs = new ISyncOutput?[table.Count];
    }

    private ref SyncEntry Entry(int id) => ref _table.At<SyncEntry>(id);

    /// <summary>The hardware input of entry <paramref name="id"/>: it has one only at home.</summary>
    private ISyncInput? Input(int id) => Entry(id).Home == _node ? _inputs[Entry(id).Handle] : null;

    private ISyncOutput? Output(int id) => Entry(id).Home == _node ? _outputs[Entry(id).Handle] : null;

    public CallResult Create(int slot, int pid, uint nodes, uint count, uint mode, bool input)
    {
        if (count < 2 || count > SyncEntry.MaxNodes || mode > 1)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        Span<byte> raw = stackalloc byte[(int)count * 4];
        if (!_kernel.User(slot).CopyFrom(nodes, raw))
        {
            return CallResult.Error(Errno.EFAULT);
        }

        Span<int> list = stackalloc int[(int)count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
        }

        int id = _table.Free(slot);
        int handle = FreeHandle();
        if (id < 0 || handle < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        var syncMode = mode == 0 ? SyncMode.OneToAll : SyncMode.AllToOne;
        try
        {
            if (input)
            {
                ISyncInput endpoint = _noc.CreateSync(_node, list, syncMode);
                endpoint.Notify(_kernel, KernelEvent.Of(KernelEventKind.SyncRelease, handle));
                _inputs[handle] = endpoint;
            }
            else
            {
                _outputs[handle] = _noc.OpenSync(_node, list, syncMode);
            }
        }
        catch (NocException)
        {
            // A bad node, a duplicate, this node in the wrong role, or the same point twice.
            return CallResult.Error(Errno.EINVAL);
        }

        int descriptor = NewDescriptor(pid);
        ref SyncEntry entry = ref Entry(id);
        entry = default;
        entry.Kind = input ? SyncEntry.Input : SyncEntry.Output;
        entry.OwnerPid = pid;
        entry.Descriptor = descriptor;
        entry.Mode = (int)mode;
        entry.Count = (int)count;
        entry.Home = _node;
        entry.Handle = handle;
        entry.Where = -1;
        for (int i = 0; i < list.Length; i++)
        {
            entry.Nodes[i] = (ushort)list[i];
        }

        return CallResult.Done(descriptor);
    }

    public CallResult Wait(int slot, int tid, int pid, int descriptor)
    {
        int id = Find(pid, descriptor, SyncEntry.Input);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (TryTake(id))
        {
            return CallResult.Done(0);
        }

        _kernel.Block(slot, tid, WaitKind.SyncWait, id);
        return CallResult.Blocked;
    }

    public CallResult Signal(int slot, int tid, int pid, int descriptor, ulong now)
    {
        int id = Find(pid, descriptor, SyncEntry.Output);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        _kernel.Block(slot, tid, WaitKind.SyncSignal, id);
        _kernel.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    public CallResult Close(int pid, int descriptor)
    {
        int id = Find(pid, descriptor);
        if (id < 0 || Entry(id).Where >= 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        CloseEntry(id);
        return CallResult.Done(0);
    }

    /// <summary>Closes entry <paramref name="id"/>: its endpoint if it is home, else home is told to close it there.</summary>
    private void CloseEntry(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        if (entry.Home == _node)
        {
            CloseEndpoints(id);
        }
        else
        {
            Tell(entry.Home, SyncMessageKind.Close, entry.OwnerPid, entry.Descriptor, 0);
        }

        entry = default;
    }

    private void CloseEndpoints(int id)
    {
        int handle = Entry(id).Handle;
        _inputs[handle]?.Dispose();
        _outputs[handle]?.Dispose();
        _inputs[handle] = null;
        _outputs[handle] = null;
    }

    /// <summary>Closes the sync points of a process that ended here.</summary>
    public void CloseAll(int pid)
    {
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            if (Entry(id).Kind != 0 && Entry(id).OwnerPid == pid && Entry(id).Where < 0)
            {
                CloseEntry(id);
            }
        }
    }

    /// <summary>
    /// Drops the forwards process <paramref name="pid"/> left here (it ended, wherever it was). Its relays stay until the
    /// close it sent when it ended comes: a signal it sent before is still on its way to them.
    /// </summary>
    public void ForgetForwards(int pid)
    {
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind != 0 && entry.OwnerPid == pid && entry.Where >= 0 && entry.Home != _node)
            {
                entry = default;
            }
        }
    }

    /// <summary>Sends the signal of a thread parked by <see cref="Signal"/>, now that simulated time has reached it.</summary>
    public void Send(int slot, int tid, ulong now)
    {
        int id = _kernel.State.Thread(slot, tid).WaitObject;
        ref SyncEntry entry = ref Entry(id);
        if (entry.Home == _node)
        {
            Output(id)?.Signal();
        }
        else
        {
            // Its endpoint is at home: home signals for it.
            Tell(entry.Home, SyncMessageKind.Signal, entry.OwnerPid, entry.Descriptor, 0);
        }

        _kernel.Wake(slot, tid, 0, now);
    }

    /// <summary>The hardware released the sync point of endpoint <paramref name="handle"/>: wake the thread that waits on it, or relay the release to its process.</summary>
    public void Released(int handle, ulong now)
    {
        int id = _table.First<SyncEntry>();
        while (id >= 0 && (Entry(id).Home != _node || Entry(id).Handle != handle))
        {
            id = _table.Next<SyncEntry>(id);
        }

        if (id < 0)
        {
            return;
        }

        ref SyncEntry entry = ref Entry(id);

        if (entry.Where >= 0)
        {
            Relay(id);
            return;
        }

        WakeWaiters(id, now);
    }

    /// <summary>A relay sends the releases its endpoint counted to where its process is now.</summary>
    private void Relay(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        int releases = 0;
        while (Input(id) is { } input && input.TryWait())
        {
            releases++;
        }

        if (releases > 0)
        {
            Tell(entry.Where, SyncMessageKind.Release, entry.OwnerPid, entry.Descriptor, releases);
        }
    }

    /// <summary>A release for input <paramref name="id"/>: one its process was told of, or one its own endpoint counted.</summary>
    private bool TryTake(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        if (entry.Releases > 0)
        {
            entry.Releases--;
            return true;
        }

        return Input(id) is { } input && input.TryWait();
    }

    /// <summary>Wakes the threads that wait on input <paramref name="id"/>, one per release there is (none while its process is frozen).</summary>
    private void WakeWaiters(int id, ulong now)
    {
        int slot = _kernel.Processes.SlotOf(Entry(id).OwnerPid);
        while (slot >= 0)
        {
            int waiter = _kernel.FirstWaiter(slot, WaitKind.SyncWait, id);
            if (waiter < 0 || !TryTake(id))
            {
                return;
            }

            _kernel.Wake(slot, waiter, 0, now);
        }
    }

    /// <summary>Takes a <see cref="SyncMessage"/> that reached the kernel's port.</summary>
    public void OnMessage(ReadOnlySpan<byte> body, ulong now)
    {
        (SyncMessageKind kind, int pid, int descriptor, int value, int move) = SyncMessage.Read(body);
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            // The sync point was closed, or its process ended: nothing to do.
            return;
        }

        ref SyncEntry entry = ref Entry(id);
        switch (kind)
        {
            case SyncMessageKind.Release when entry.Where >= 0:
                // The process passed through here and is elsewhere now: send it on.
                Tell(entry.Where, SyncMessageKind.Release, pid, descriptor, value);
                break;
            case SyncMessageKind.Release:
                entry.Releases += value;
                WakeWaiters(id, now);
                break;
            case SyncMessageKind.Signal when entry.Home == _node:
                Output(id)?.Signal();
                break;
            case SyncMessageKind.Moved when entry.Home == _node && entry.Where >= 0 && move > entry.WhereMove:
                entry.Where = value;
                entry.WhereMove = move;
                break;
            case SyncMessageKind.Close when entry.Home == _node && entry.Where >= 0:
                CloseEndpoints(id);
                entry = default;
                break;
        }
    }

    private void Tell(int node, SyncMessageKind kind, int pid, int descriptor, int value, int move = 0)
    {
        Span<byte> body = stackalloc byte[SyncMessage.Bytes];
        SyncMessage.Write(body, kind, pid, descriptor, value, move);
        _kernel.SendKernelMessage(node, body);
    }

    /// <summary>
    /// Takes the sync points of <paramref name="pid"/> out for a move: each entry, with the releases its endpoint counted
    /// and the process has not waited for yet. From now on, until the move is done or called off, what reaches them is
    /// counted here and, if the move is done, sent on.
    /// </summary>
    public List<SyncImage> Capture(int pid)
    {
        var images = new List<SyncImage>();
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind == 0 || entry.OwnerPid != pid || entry.Where >= 0)
            {
                continue;
            }

            while (Input(id) is { } input && input.TryWait())
            {
                entry.Releases++;
            }

            entry.Carried = entry.Releases;
            images.Add(new SyncImage(id, entry));
        }

        return images;
    }

    /// <summary>The process goes on here (a move called off, or done): its threads take the releases that came meanwhile.</summary>
    public void Resume(int pid, ulong now)
    {
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind != 0 && entry.OwnerPid == pid && entry.Where < 0)
            {
                entry.Carried = 0;
                WakeWaiters(id, now);
            }
        }
    }

    /// <summary>
    /// The process moved to <paramref name="node"/> (its move <paramref name="move"/>): an entry at home becomes a relay, one
    /// elsewhere a forward, and what came during the move is sent on.
    /// </summary>
    public void LeaveBehind(int pid, int node, int move)
    {
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind == 0 || entry.OwnerPid != pid || entry.Where >= 0)
            {
                continue;
            }

            int came = entry.Releases - entry.Carried;
            entry.Releases = 0;
            entry.Carried = 0;
            entry.Where = node;
            entry.WhereMove = move;
            if (came > 0)
            {
                Tell(node, SyncMessageKind.Release, pid, entry.Descriptor, came);
            }

            if (entry.Home == _node)
            {
                Relay(id);
            }

            // The relay or forward is the node's now (under UArea it leaves the User Area; the move was refused before
            // it started if the node had no entry for it, see NodeEntriesNeeded).
            _table.ForNode(id);
        }
    }

    /// <summary>The node entries the sync points of <paramref name="pid"/> leave behind if it moves away: a relay or forward each.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = _table.First<SyncEntry>(); id >= 0; id = _table.Next<SyncEntry>(id))
        {
            needed += Entry(id).OwnerPid == pid && Entry(id).Where < 0 ? 1 : 0;
        }

        return needed;
    }

    /// <summary>How many of <paramref name="images"/> of process <paramref name="pid"/> take back an entry they left here (a relay or forward).</summary>
    public int Reused(int pid, IReadOnlyList<SyncImage> images)
    {
        int reused = 0;
        foreach (SyncImage image in images)
        {
            reused += Find(pid, image.Entry.Descriptor) >= 0 ? 1 : 0;
        }

        return reused;
    }

    /// <summary>
    /// Takes the sync points of a process that moved here (its move <paramref name="move"/>); returns the new index of each
    /// image, in order. A relay or forward it left here earlier is its own entry again; home hears where it is now.
    /// </summary>
    public int[] Adopt(int slot, int pid, int move, IReadOnlyList<SyncImage> images)
    {
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            SyncImage image = images[i];
            int id = Find(pid, image.Entry.Descriptor);
            id = id >= 0 ? _table.ForProcess(id, slot) : _table.Free(slot);
            indices[i] = id;
            ref SyncEntry entry = ref Entry(id);
            bool left = entry.Kind != 0;
            int relayed = left ? entry.Releases : 0;
            int handle = entry.Handle;
            entry = image.Entry;
            entry.Releases += relayed;
            if (left && entry.Home == _node)
            {
                // Back home: the relay's endpoint is the entry's again.
                entry.Handle = handle;
            }

            entry.Where = -1;
            entry.WhereMove = 0;
            entry.Carried = 0;
            if (entry.Home != _node)
            {
                Tell(entry.Home, SyncMessageKind.Moved, pid, entry.Descriptor, _node, move);
            }
        }

        return indices;
    }

    /// <summary>The number of nodes of sync point <paramref name="id"/> (0 when it is closed).</summary>
    public int MemberCount(int id) => (uint)id < (uint)_table.Count && _table.Is<SyncEntry>(id) ? Entry(id).Count : 0;

    /// <summary>Node <paramref name="index"/> of sync point <paramref name="id"/>'s list.</summary>
    public int Member(int id, int index) => Entry(id).Nodes[index];

    /// <summary>A free place for the HAL endpoint of a new sync point, or -1.</summary>
    private int FreeHandle()
    {
        for (int handle = 0; handle < _inputs.Length; handle++)
        {
            if (_inputs[handle] is null && _outputs[handle] is null)
            {
                return handle;
            }
        }

        return -1;
    }

    private int NewDescriptor(int pid) => _table.NewDescriptor<SyncEntry>(pid);

    /// <summary>The entry of descriptor <paramref name="descriptor"/> of process <paramref name="pid"/> here (its own, a relay or a forward), or -1.</summary>
    private int Find(int pid, int descriptor) => _table.Find<SyncEntry>(pid, descriptor);

    /// <summary>The process's own entry of that descriptor and kind here (not a relay or forward it left), or -1.</summary>
    private int Find(int pid, int descriptor, int kind)
    {
        int id = Find(pid, descriptor);
        return id >= 0 && Entry(id).Kind == kind && Entry(id).Where < 0 ? id : -1;
    }
}
