using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The hardware side of the portals: this node's one portal input and its outputs (one a remote node), which
/// descriptor's transfer each of them carries now, and the order waiting transfers take them in: reads armed one after
/// another, in order of arrival, and writes to one remote node one after another. A transfer is for a parked thread or
/// for the operation posted on a descriptor; it is answered here when the hardware is done, or taken back (a close, a
/// move, a peer that moved).
/// </summary>
internal sealed class PortalTransfers<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>Largest portal transfer.</summary>
    public const int MaxBytes = NetworkOnChip.MaxPortalWriteBytes;

    private const int MaxSegments = (MaxBytes / (int)KernelConstants.PageSize) + 1;

    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _procs;
    private readonly KernelEventPort _events;
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

    /// <summary>The process whose portals <see cref="TakeBack"/> is taking out: the hardware is never given to it meanwhile.</summary>
    private int _capturing;

    public PortalTransfers(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, INoc noc, int node, IkcTable<TLayout> table)
    {
        _threads = threads;
        _procs = procs;
        _events = events;
        _noc = noc;
        _node = node;
        _table = table;
        _input = noc.CreatePortal(node);
        _input.Notify(events.Target, KernelEvent.Of(KernelEventKind.PortalInput, 0));
        _outputs = new IPortalOutput?[noc.Spec.Topology.NodeCount];
        _writing = new Requester[noc.Spec.Topology.NodeCount];
        Array.Fill(_writing, Requester.None);
        _writeTransfer = new int[noc.Spec.Topology.NodeCount];
    }

    /// <summary>A parked reader or writer's turn may have come: start its transfer if the hardware is free.</summary>
    public void Start(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref _threads.Context(slot, tid);
        int id = _threads.Entry(slot, tid).WaitObject;
        bool read = _threads.Entry(slot, tid).WaitKind == WaitKind.PortalRead;
        Start(new Requester(id, slot, tid), context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), read, now);
    }

    /// <summary>An asynchronous operation posted on portal <paramref name="id"/> may start now (not while its process is frozen).</summary>
    public void StartPosted(int id, ulong now)
    {
        ref PortalEntry entry = ref Entry(id);
        if (!entry.IsLive || entry.Pending == AsyncOperation.None || entry.PendingStarted != 0 || entry.PendingDone != 0
            || _procs.Table.SlotOf(entry.OwnerPid) < 0)
        {
            return;
        }

        Start(new Requester(id, -1, 0), entry.PendingBuffer, entry.PendingSize, entry.Pending == AsyncOperation.Read, now);
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
        if (bytes > 0)
        {
            MarkLanded(who, bytes);
        }

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
        int size = who.IsAsync ? Entry(who.Id).PendingSize : (int)_threads.Context(who.Slot, who.Tid).Get(AbiRegister.A2);
        Finish(who, size, now);
        Next(WaitKind.PortalWrite, node, now);
    }

    /// <summary>
    /// A thread parked on portal <paramref name="id"/> is answered without its transfer (its peer ended): the hardware
    /// gives back the read armed, or the write waiting, for it.
    /// </summary>
    public void Abandon(int id, int slot, int tid, ulong now) => Release(id, Entry(id).Remote, now, new Requester(id, slot, tid));

    /// <summary>
    /// Takes back from the hardware whatever it still holds for portal <paramref name="id"/>, which is being closed (a
    /// transfer on the wires lands, and is answered to no one).
    /// </summary>
    public void Cancel(int id, ulong now) => Release(id, Entry(id).Remote, now);

    /// <summary>
    /// Takes back from the hardware what it holds for process <paramref name="pid"/>, for a move: the read armed for it,
    /// and its writes still waiting for their reader (their requesters start again on the target). False with the
    /// reason, and nothing changed, while a transfer of its is on the wires.
    /// </summary>
    public bool TakeBack(int pid, ulong now, out string? unsettled)
    {
        for (int node = 0; node < _writing.Length; node++)
        {
            Requester who = _writing[node];
            if (!who.IsNone && Entry(who.Id).OwnerPid == pid && _noc.Transfer(_writeTransfer[node]).State != TransferState.Waiting)
            {
                unsettled = $"a portal write to node {node} is on the wires";
                return false;
            }
        }

        // What the hardware takes up after a read or write of this process is taken back is another process's, never
        // this one's (its parked threads are still blocked on their reads and writes: they start again on the target).
        _capturing = pid;
        if (!_reading.IsNone && Entry(_reading.Id).OwnerPid == pid && !Release(_reading.Id, -1, now))
        {
            _capturing = 0;
            unsettled = "a portal read is taking its data";
            return false;
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
        unsettled = null;
        return true;
    }

    /// <summary>
    /// Portal <paramref name="id"/> (an input if <paramref name="input"/>) now points at node <paramref name="to"/>, no longer
    /// <paramref name="old"/>: a read armed for it, or its write waiting at the old node, is taken back and started again.
    /// </summary>
    public void Repoint(int id, bool input, int old, int to, ulong now)
    {
        if (input)
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

    /// <summary>Starts again the portal reads and writes of <paramref name="pid"/> — its parked threads' and its posted ones — after a move, or a move called off.</summary>
    public void Resume(int pid, ulong now)
    {
        int slot = _procs.Table.SlotOf(pid);
        for (int t = 0; slot >= 0 && t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = _threads.Entry(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.PortalRead or WaitKind.PortalWrite)
            {
                Start(slot, t, now);
            }
        }

        for (int id = slot >= 0 ? _table.First<PortalEntry>() : -1; id >= 0; id = _table.Next<PortalEntry>(id))
        {
            if (Entry(id).IsLive && Entry(id).OwnerPid == pid)
            {
                StartPosted(id, now);
            }
        }
    }

    private ref PortalEntry Entry(int id) => ref _table.At<PortalEntry>(id);

    /// <summary>Arms a read or starts a write for a requester: a parked thread, or the asynchronous operation of its descriptor.</summary>
    private void Start(Requester who, uint buffer, int size, bool read, ulong now)
    {
        int slot = _procs.Table.SlotOf(Entry(who.Id).OwnerPid);
        if (slot < 0)
        {
            return;
        }

        Span<MemorySegment> segments = stackalloc MemorySegment[MaxSegments];
        int count = _procs.User(slot).Segments(buffer, size, read ? PagePermissions.Write : PagePermissions.Read, segments);
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
    /// <summary>
    /// While a pre-copy move tracks its process's writes, the pages a read's bytes landed in are dirty: the NoC wrote
    /// them, not a store, so no MMU set their dirty bits.
    /// </summary>
    private void MarkLanded(Requester who, int bytes)
    {
        int slot = who.IsAsync ? _procs.Table.SlotOf(Entry(who.Id).OwnerPid) : who.Slot;
        if (slot < 0 || _procs.SpaceOrNull(slot) is not { Tracking: true })
        {
            return;
        }

        uint buffer = who.IsAsync ? Entry(who.Id).PendingBuffer : _threads.Context(who.Slot, who.Tid).Get(AbiRegister.A1);
        Span<MemorySegment> segments = stackalloc MemorySegment[MaxSegments];
        _procs.User(slot).Segments(buffer, bytes, PagePermissions.Write, segments);
    }

    private void Finish(Requester who, int result, ulong now)
    {
        if (!who.IsAsync)
        {
            _threads.Wake(who.Slot, who.Tid, result, now);
            return;
        }

        ref PortalEntry entry = ref Entry(who.Id);
        if (!entry.IsLive || entry.Pending == AsyncOperation.None)
        {
            return;
        }

        entry.PendingStarted = 1;
        entry.PendingDone = 1;
        entry.PendingResult = result;
        int slot = _procs.Table.SlotOf(entry.OwnerPid);
        int waiter = slot < 0 ? -1 : _threads.FirstWaiter(slot, WaitKind.PortalAsync, who.Id);
        if (waiter >= 0)
        {
            entry.Pending = AsyncOperation.None;
            _threads.Wake(slot, waiter, result, now);
        }
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


    /// <summary>Starts the longest-waiting reader (or writer towards <paramref name="node"/>) of any process.</summary>
    private void Next(WaitKind kind, int node, ulong now)
    {
        AsyncOperation operation = kind == WaitKind.PortalRead ? AsyncOperation.Read : AsyncOperation.Write;
        for (int id = _table.First<PortalEntry>(); id >= 0; id = _table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (entry.IsLive && entry.Pending == operation && entry.PendingStarted == 0 && entry.PendingDone == 0
                && (node < 0 || entry.Remote == node) && entry.OwnerPid != _capturing && _procs.Table.SlotOf(entry.OwnerPid) >= 0)
            {
                StartPosted(id, now);
                return;
            }
        }

        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (!_procs.Table.IsLive(slot) || _procs.Table[slot].Pid == _capturing)
            {
                continue;
            }

            int first = -1;
            int ticket = int.MaxValue;
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _threads.Entry(slot, t);
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
        output.Notify(_events.Target, KernelEvent.Of(KernelEventKind.PortalOutput, node));
        return output;
    }

    /// <summary>Who a hardware transfer is for: a parked thread (<see cref="Slot"/>, <see cref="Tid"/>), or, with <see cref="Slot"/> -1, the operation posted on descriptor <see cref="Id"/>.</summary>
    private readonly record struct Requester(int Id, int Slot, int Tid)
    {
        public static readonly Requester None = new(-1, -1, -1);

        public bool IsNone => Id < 0;

        public bool IsAsync => Slot < 0;
    }
}
