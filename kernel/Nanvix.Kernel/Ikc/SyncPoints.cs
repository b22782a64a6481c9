using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
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
/// <para>
/// This type is the sync point calls; its parts are the endpoints (<see cref="SyncEndpoints"/>), the releases and the
/// threads they wake (<see cref="SyncReleases{TLayout}"/>), the messages between home and process
/// (<see cref="SyncRelay{TLayout}"/>) and moves (<see cref="SyncPointMigration{TLayout}"/>).
/// </para>
/// </summary>
internal sealed class SyncPoints<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly ThreadManager<TLayout> _threads;
    private readonly KernelEventPort _events;
    private readonly int _node;
    private readonly IkcTable<TLayout> _table;
    private readonly SyncEndpoints _endpoints;
    private readonly SyncReleases<TLayout> _releases;
    private readonly SyncRelay<TLayout> _relay;
    private readonly SyncPointMigration<TLayout> _migration;

    public SyncPoints(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, Mailboxes<TLayout> mailboxes, INoc noc, int node, IkcTable<TLayout> table)
    {
        _threads = threads;
        _events = events;
        _node = node;
        _table = table;
        _endpoints = new SyncEndpoints(noc, node, table.Count, events.Target);
        _releases = new SyncReleases<TLayout>(threads, procs, table, _endpoints);
        _relay = new SyncRelay<TLayout>(mailboxes, table, node, _endpoints, _releases);
        _migration = new SyncPointMigration<TLayout>(table, node, _endpoints, _releases, _relay);
    }

    private ref SyncEntry Entry(int id) => ref _table.At<SyncEntry>(id);

    /// <summary>
    /// A sync point of process <paramref name="pid"/> over <paramref name="list"/> (2 to <see cref="SyncEntry.MaxNodes"/>
    /// nodes read from the caller, checked by the HAL as it opens the point: EINVAL): its descriptor.
    /// </summary>
    public CallResult Create(int slot, int pid, ReadOnlySpan<int> list, SyncMode syncMode, bool input)
    {
        int id = _table.Free(slot);
        int handle = _endpoints.FreeHandle();
        if (id < 0 || handle < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        try
        {
            _endpoints.Open(handle, list, syncMode, input);
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
        entry.Mode = syncMode == SyncMode.OneToAll ? 0 : 1;
        entry.Count = list.Length;
        entry.Home = _node;
        entry.Handle = handle;
        entry.Where = -1;
        for (int i = 0; i < list.Length; i++)
        {
            entry.Nodes[i] = (ushort)list[i];
        }

        return CallResult.Done(descriptor);
    }

    public CallResult Wait(int slot, int tid, EntryId<SyncEntry> input)
    {
        int id = input.Index;
        if (_releases.TryTake(id))
        {
            return CallResult.Done(0);
        }

        _threads.Block(slot, tid, WaitKind.SyncWait, id);
        return CallResult.Blocked;
    }

    public CallResult Signal(int slot, int tid, EntryId<SyncEntry> output, ulong now)
    {
        int id = output.Index;
        _threads.Block(slot, tid, WaitKind.SyncSignal, id);
        _events.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    public CallResult Close(EntryId<SyncEntry> point)
    {
        CloseEntry(point.Index);
        return CallResult.Done(0);
    }

    /// <summary>Closes entry <paramref name="id"/>: its endpoint if it is home, else home is told to close it there.</summary>
    private void CloseEntry(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        if (entry.Home == _node)
        {
            _endpoints.Close(entry.Handle);
        }
        else
        {
            _relay.Tell(entry.Home, SyncMessageKind.Close, entry.OwnerPid, entry.Descriptor, 0);
        }

        entry = default;
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
        int id = _threads.Entry(slot, tid).WaitObject;
        ref SyncEntry entry = ref Entry(id);
        if (entry.Home == _node)
        {
            _endpoints.Output(entry)?.Signal();
        }
        else
        {
            // Its endpoint is at home: home signals for it.
            _relay.Tell(entry.Home, SyncMessageKind.Signal, entry.OwnerPid, entry.Descriptor, 0);
        }

        _threads.Wake(slot, tid, 0, now);
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
            _relay.Relay(id);
            return;
        }

        _releases.WakeWaiters(id, now);
    }

    /// <inheritdoc cref="SyncRelay{TLayout}.OnMessage"/>
    public void OnMessage(ReadOnlySpan<byte> body, ulong now) => _relay.OnMessage(body, now);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.Capture"/>
    public List<SyncImage> Capture(int pid) => _migration.Capture(pid);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.Resume"/>
    public void Resume(int pid, ulong now) => _migration.Resume(pid, now);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.LeaveBehind"/>
    public void LeaveBehind(int pid, int node, int move) => _migration.LeaveBehind(pid, node, move);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.NodeEntriesNeeded"/>
    public int NodeEntriesNeeded(int pid) => _migration.NodeEntriesNeeded(pid);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.Reused"/>
    public int Reused(int pid, IReadOnlyList<SyncImage> images) => _migration.Reused(pid, images);

    /// <inheritdoc cref="SyncPointMigration{TLayout}.Adopt"/>
    public int[] Adopt(int slot, int pid, int move, IReadOnlyList<SyncImage> images) => _migration.Adopt(slot, pid, move, images);

    /// <summary>The number of nodes of sync point <paramref name="id"/> (0 when it is closed).</summary>
    public int MemberCount(int id) => (uint)id < (uint)_table.Count && _table.Is<SyncEntry>(id) ? Entry(id).Count : 0;

    /// <summary>Node <paramref name="index"/> of sync point <paramref name="id"/>'s list.</summary>
    public int Member(int id, int index) => Entry(id).Nodes[index];

    private int NewDescriptor(int pid) => _table.NewDescriptor<SyncEntry>(pid);
}
