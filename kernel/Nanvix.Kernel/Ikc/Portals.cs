using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Virtual portals over each node's one hardware portal, as in Nanvix: a receiver creates a portal on a port,
/// allows one remote node, and reads; a sender opens the remote (node, port) and writes up to 1 MB. The user buffer
/// moves in one NoC transfer, straight between the two processes' frames (a scatter/gather list of the pages it
/// spans), so nanvix timing charges one α per write, and the hardware cuts it into 4 KB packets. The hardware
/// portal takes one allow at a time: reads on one node are armed one after another, in order of arrival; writes
/// to one remote node go one after another too. A read is matched to its sender by node. The descriptors live in
/// the kernel's portal table in kernel data (<see cref="PortalEntry"/>); what is kept beside it is the
/// hardware's side: the HAL endpoints, and which descriptor's transfer each of them carries now.
/// <para>
/// Portals follow a process that moves (<see cref="Capture"/>, <see cref="Adopt"/>): an armed read or a write
/// still waiting for its reader — blocking or posted — is taken back on the source and started again on the target,
/// and the kernels of the process's peers, told by the target (<see cref="PeerMoved"/>), point their portals that
/// paired with it at its new node, taking back and starting again a read armed for, or a write waiting at, the old
/// one. A portal addressed by node pairs with the process at that node whose portal of the other kind has the same
/// port; once it has followed a process, it follows that process only, by the numbers of its moves.
/// </para>
/// <para>
/// This type is the portal calls; the hardware side is <see cref="PortalTransfers{TLayout}"/>, what a process that moved
/// away leaves here <see cref="PortalLeftBehind{TLayout}"/>, and moves <see cref="PortalMigration{TLayout}"/>.
/// </para>
/// </summary>
internal sealed class Portals<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>Largest transfer (1 MB).</summary>
    public const int MaxBytes = PortalTransfers<TLayout>.MaxBytes;

    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _procs;
    private readonly KernelEventPort _events;
    private readonly IkcTable<TLayout> _table;
    private readonly PortalTransfers<TLayout> _transfers;
    private readonly PortalLeftBehind<TLayout> _left;
    private readonly PortalMigration<TLayout> _migration;

    public Portals(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, INoc noc, int node, IkcTable<TLayout> table)
    {
        _threads = threads;
        _procs = procs;
        _events = events;
        _table = table;
        _transfers = new PortalTransfers<TLayout>(threads, procs, events, noc, node, table);
        _left = new PortalLeftBehind<TLayout>(table);
        _migration = new PortalMigration<TLayout>(table, node, _transfers, _left);
    }

    private ref PortalEntry Entry(int id) => ref _table.At<PortalEntry>(id);

    /// <summary>An input of process <paramref name="pid"/> on <paramref name="port"/> (checked): its descriptor.</summary>
    public CallResult Create(int pid, int port) => Take(pid, PortalEntry.Input, remote: -1, port);

    /// <summary>An output of process <paramref name="pid"/> to <paramref name="port"/> of another node (both checked): its descriptor, or EBUSY while a process that moved away still holds the node here.</summary>
    public CallResult Open(int pid, int node, int port) => _left.HeldFor(PortalEntry.LeftOutput, node, pid) ?? Take(pid, PortalEntry.Output, node, port);

    /// <summary>Lets input <paramref name="input"/> read from <paramref name="node"/> (another node, checked).</summary>
    public CallResult Allow(int pid, EntryId<PortalEntry> input, int node)
    {
        int id = input.Index;
        if (_left.HeldFor(PortalEntry.LeftInput, node, pid) is { } held)
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

    /// <summary>
    /// Parks the reader or writer of a checked transfer on <paramref name="portal"/> (an allowed input, or an output;
    /// 1 byte to <see cref="MaxBytes"/>); its transfer is armed at <paramref name="now"/> through <see cref="Start"/>.
    /// </summary>
    public CallResult Transfer(int slot, int tid, EntryId<PortalEntry> portal, bool read, ulong now)
    {
        int id = portal.Index;
        _threads.Block(slot, tid, read ? WaitKind.PortalRead : WaitKind.PortalWrite, id);
        _events.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    public CallResult Close(EntryId<PortalEntry> portal, ulong now)
    {
        int id = portal.Index;

        // A transfer the hardware still holds for it is taken back (one on the wires lands, and is answered to no one).
        _transfers.Cancel(id, now);
        Entry(id) = default;
        return CallResult.Done(0);
    }

    /// <summary>
    /// Posts a checked read or write on <paramref name="portal"/> (nothing pending, as for <see cref="Transfer"/>) without
    /// waiting; <see cref="Wait"/> returns what the blocking call would have.
    /// </summary>
    public CallResult Post(EntryId<PortalEntry> portal, uint buffer, uint size, bool read, ulong now)
    {
        int id = portal.Index;
        ref PortalEntry entry = ref Entry(id);
        entry.Pending = read ? AsyncOperation.Read : AsyncOperation.Write;
        entry.PendingBuffer = buffer;
        entry.PendingSize = (int)size;
        entry.PendingStarted = 0;
        entry.PendingDone = 0;
        _events.Defer(now, KernelEventKind.PortalAsyncStart, id);
        return CallResult.Done(0);
    }

    /// <summary>Waits for the pending operation of <paramref name="portal"/> (checked: one is pending).</summary>
    public CallResult Wait(int slot, int tid, EntryId<PortalEntry> portal)
    {
        int id = portal.Index;
        ref PortalEntry entry = ref Entry(id);
        if (entry.PendingDone != 0)
        {
            entry.Pending = AsyncOperation.None;
            return CallResult.Done(entry.PendingResult);
        }

        _threads.Block(slot, tid, WaitKind.PortalAsync, id);
        return CallResult.Blocked;
    }

    /// <summary>The node portal <paramref name="id"/> reads from (input) or writes to (output), or -1.</summary>
    public int PeerOf(int id) => (uint)id < (uint)_table.Count && _table.Is<PortalEntry>(id) && Entry(id).IsLive ? Entry(id).Remote : -1;

    /// <summary>Frees the portals of a process that ended or left, taking back what the hardware still held for them.</summary>
    public void CloseAll(int pid, ulong now)
    {
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (Entry(id).IsLive && Entry(id).OwnerPid == pid)
            {
                _transfers.Cancel(id, now);
                Entry(id) = default;
            }
        }
    }

    /// <inheritdoc cref="PortalTransfers{TLayout}.Start(int, int, ulong)"/>
    public void Start(int slot, int tid, ulong now) => _transfers.Start(slot, tid, now);

    /// <inheritdoc cref="PortalTransfers{TLayout}.StartPosted"/>
    public void StartPosted(int id, ulong now) => _transfers.StartPosted(id, now);

    /// <inheritdoc cref="PortalTransfers{TLayout}.InputDone"/>
    public void InputDone(ulong now) => _transfers.InputDone(now);

    /// <inheritdoc cref="PortalTransfers{TLayout}.OutputDone"/>
    public void OutputDone(int node, ulong now) => _transfers.OutputDone(node, now);

    /// <inheritdoc cref="PortalTransfers{TLayout}.Abandon"/>
    public void Abandon(int id, int slot, int tid, ulong now) => _transfers.Abandon(id, slot, tid, now);

    /// <inheritdoc cref="PortalTransfers{TLayout}.Resume"/>
    public void Resume(int pid, ulong now) => _transfers.Resume(pid, now);

    /// <inheritdoc cref="PortalLeftBehind{TLayout}.LeaveBehind"/>
    public void LeaveBehind(int pid) => _left.LeaveBehind(pid);

    /// <inheritdoc cref="PortalLeftBehind{TLayout}.NodeEntriesNeeded"/>
    public int NodeEntriesNeeded(int pid) => _left.NodeEntriesNeeded(pid);

    /// <inheritdoc cref="PortalLeftBehind{TLayout}.ForgetForwards"/>
    public void ForgetForwards(int pid) => _left.ForgetForwards(pid);

    /// <inheritdoc cref="PortalMigration{TLayout}.Capture"/>
    public List<PortalImage>? Capture(int pid, ulong now, out string? unsettled) => _migration.Capture(pid, now, out unsettled);

    /// <inheritdoc cref="PortalMigration{TLayout}.CannotMoveTo"/>
    public string? CannotMoveTo(int pid, int target) => _migration.CannotMoveTo(pid, target);

    /// <inheritdoc cref="PortalMigration{TLayout}.CannotAdopt"/>
    public string? CannotAdopt(int pid, int source, IReadOnlyList<PortalImage> images) => _migration.CannotAdopt(pid, source, images);

    /// <inheritdoc cref="PortalMigration{TLayout}.Adopt"/>
    public int[] Adopt(int slot, int pid, IReadOnlyList<PortalImage> images) => _migration.Adopt(slot, pid, images);

    /// <inheritdoc cref="PortalMigration{TLayout}.PeerMoved"/>
    public void PeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now) =>
        _migration.PeerMoved(pid, from, to, move, moved, now);

    private CallResult Take(int pid, int kind, int remote, int port)
    {
        int slot = _procs.Table.SlotOf(pid);
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
}
