using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Virtual mailboxes over the NoC, as in Nanvix: many mailboxes per node, told apart by port, multiplexed over the
/// node's one hardware mailbox. The kernel prefixes each message with an 8-byte header (length, destination port,
/// source node), so a user message holds the machine's mailbox payload minus 8 bytes (120 bytes on the MPPA-256).
/// A write blocks until the message has crossed the NoC; a read blocks until a message for its port is there.
/// Messages that reach a port before its mailbox exists wait in the node's unclaimed queue (32 messages).
/// <para>
/// Inputs follow their process when it moves to another cluster (<see cref="Capture"/>, <see cref="Adopt"/>,
/// <see cref="LeaveBehind"/>): the node it left keeps a forward entry that sends messages for the port on, so senders
/// never have to learn the move. Messages may then reach the input by different routes; to keep them exactly once
/// and in order per sender, the first kernel a message reaches stamps it (ingress node, and a count per port and
/// ingress node) in the header, and the input accepts each ingress node's stamps in order, holding those that come
/// ahead of their turn (header layout: <see cref="MailboxHeader"/>).
/// </para>
/// <para>
/// This type is the mailbox calls; the rest is its parts': the user's send path (<see cref="MailboxSender{TLayout}"/>),
/// the queue pages (<see cref="MailboxQueue"/>), the ordering pages (<see cref="MailboxOrdering"/>), the arrival path
/// (<see cref="MailboxArrivals{TLayout}"/>), answering waiters (<see cref="MailboxWaiters{TLayout}"/>), forward entries
/// (<see cref="MailboxForwards{TLayout}"/>), the kernel's own messages and their backlog (<see cref="MailboxOutbox"/>),
/// and moves (<see cref="MailboxMigration{TLayout}"/>).
/// </para>
/// </summary>
internal sealed class Mailboxes<TLayout> : IBacklogTimer
    where TLayout : struct, IProcessLayout
{
    /// <summary>
    /// How long a write to a node whose hardware mailbox is full waits before it tries again (a user write stays parked,
    /// kernel messages wait in the backlog). A message takes about 50 cycles to cross the NoC in hardware timing.
    /// </summary>
    public const ulong RetryCycles = MailboxOutbox.RetryCycles;

    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _procs;
    private readonly KernelEventPort _events;
    private readonly PageAllocator _kernelPages;
    private readonly INoc _noc;
    private readonly IkcTable<TLayout> _table;
    private readonly MailboxQueue _queue;
    private readonly MailboxOrdering _ordering;
    private readonly MailboxOutbox _outbox;
    private readonly MailboxForwards<TLayout> _forwards;
    private readonly MailboxWaiters<TLayout> _waiters;
    private readonly MailboxArrivals<TLayout> _arrivals;
    private readonly MailboxMigration<TLayout> _migration;
    private readonly MailboxSender<TLayout> _sender;

    public Mailboxes(
        ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, KernelEventPort events, ClusterMemory memory, PageAllocator kernelPages, INoc noc, int node, IkcTable<TLayout> table, uint unclaimedPage)
    {
        _threads = threads;
        _procs = procs;
        _events = events;
        _kernelPages = kernelPages;
        _noc = noc;
        _table = table;
        var outputs = new MailboxOutputs(noc, node);
        if (noc.Spec.Topology.NodeCount > MailboxOrdering.MaxIngressNodes)
        {
            throw new ArgumentException($"the NoC has {noc.Spec.Topology.NodeCount} nodes; mailbox ordering pages keep {MailboxOrdering.MaxIngressNodes}");
        }

        MaxMessage = noc.Spec.MailboxPayloadBytes - KernelConstants.MailboxHeaderBytes;
        _queue = new MailboxQueue(memory, kernelPages);
        _ordering = new MailboxOrdering(memory, kernelPages, _queue, node);
        _outbox = new MailboxOutbox(memory, kernelPages, outputs, node, MaxMessage, this);
        _forwards = new MailboxForwards<TLayout>(table);
        _waiters = new MailboxWaiters<TLayout>(threads, procs, table, _queue);
        _arrivals = new MailboxArrivals<TLayout>(table, memory, unclaimedPage, _forwards, _ordering, _outbox, _waiters);
        _migration = new MailboxMigration<TLayout>(table, kernelPages, node, _queue, _ordering, _forwards, _outbox, _waiters, _arrivals);
        _sender = new MailboxSender<TLayout>(threads, procs, events, noc, node, table, outputs, _waiters, MaxMessage);
    }

    /// <summary>Where the messages to this node's kernel port go (the IKC layer, which tells migration, sync relays and service answers apart); set once at boot.</summary>
    public IKernelPort? KernelPort { get; set; }

    /// <summary>Largest user message.</summary>
    public int MaxMessage { get; }

    /// <summary>Messages dropped because an input's queue (or the unclaimed queue, or its ordering page) was full.</summary>
    public int Dropped => _queue.Dropped + _ordering.Dropped + _arrivals.Dropped + _outbox.Dropped;

    /// <summary>Messages sent on by forward entries to where their process moved.</summary>
    public int Forwarded => _outbox.Forwarded;

    ulong IBacklogTimer.Now => _events.Now;

    private ref MailboxEntry Entry(int id) => ref _table.At<MailboxEntry>(id);

    /// <summary>An input of process <paramref name="pid"/> on <paramref name="port"/> (checked a user port): its descriptor.</summary>
    public CallResult Create(int pid, int port)
    {
        // A port is taken by an input, or by the forward entry of another process that moved away and still gets
        // messages sent on from here.
        if (_forwards.IsTaken(port, pid, out int forward))
        {
            return CallResult.Error(Errno.EBUSY);
        }

        int free = FreeEntry(pid);
        if (free < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        if (!_kernelPages.TryAllocate(out uint buffer))
        {
            return CallResult.Error(Errno.ENOMEM);
        }

        if (!_kernelPages.TryAllocate(out uint ordering))
        {
            _kernelPages.Free(buffer);
            return CallResult.Error(Errno.ENOMEM);
        }

        // This process once listened on this port here and moved away, leaving a forward entry: the input takes over
        // its stamps, so messages stamped before and after line up.
        int stamp = _forwards.TakeOver(forward, 0);
        int descriptor = NewDescriptor(pid);
        _ordering.Clear(ordering);
        ref MailboxEntry created = ref Entry(free);
        created = default;
        created.Kind = MailboxKind.Input;
        created.OwnerPid = pid;
        created.Descriptor = descriptor;
        created.Port = port;
        created.RemoteNode = -1;
        created.Buffer = buffer;
        created.Tail = buffer;
        created.Ordering = ordering;
        created.NextStamp = stamp;
        _arrivals.Claim(free);
        return CallResult.Done(descriptor);
    }

    /// <summary>An output of process <paramref name="pid"/> to <paramref name="port"/> of <paramref name="node"/> (both checked): its descriptor.</summary>
    public CallResult Open(int pid, int node, int port)
    {
        int free = FreeEntry(pid);
        if (free < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        int descriptor = NewDescriptor(pid);
        ref MailboxEntry entry = ref Entry(free);
        entry = default;
        entry.Kind = MailboxKind.Output;
        entry.OwnerPid = pid;
        entry.Descriptor = descriptor;
        entry.Port = port;
        entry.RemoteNode = node;
        return CallResult.Done(descriptor);
    }

    /// <summary>Takes the first message of input <paramref name="input"/> into the user's buffer, or parks the reader until one comes.</summary>
    [KernelHotPath]
    public CallResult Read(int slot, int tid, EntryId<MailboxEntry> input, uint buffer, uint size)
    {
        int id = input.Index;
        if (Entry(id).Count > 0)
        {
            return CallResult.Done(_waiters.Deliver(slot, id, buffer, size));
        }

        _threads.Block(slot, tid, WaitKind.MailboxRead, id);
        return CallResult.Blocked;
    }

    /// <summary>Parks the writer of a checked message on <paramref name="output"/>; it leaves at <paramref name="now"/>, through <see cref="Send"/>.</summary>
    [KernelHotPath]
    public CallResult Write(int slot, int tid, EntryId<MailboxEntry> output, ulong now)
    {
        _threads.Block(slot, tid, WaitKind.MailboxWrite, output.Index);
        _events.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    /// <summary>
    /// Posts a read (<paramref name="write"/> false) or a write without waiting: the message is copied from or to
    /// the user buffer when it leaves or arrives, so the buffer must stay as it is until <see cref="Wait"/>. The
    /// mailbox <paramref name="id"/> comes checked: of the right kind, nothing pending, a write no longer than a message.
    /// </summary>
    public CallResult Post(int pid, EntryId<MailboxEntry> mailbox, uint buffer, uint size, bool write, ulong now)
    {
        int id = mailbox.Index;
        ref MailboxEntry entry = ref Entry(id);
        entry.Pending = write ? AsyncOperation.Write : AsyncOperation.Read;
        entry.PendingBuffer = buffer;
        entry.PendingSize = (int)size;
        entry.PendingDone = 0;
        if (write)
        {
            _events.Defer(now, KernelEventKind.MailboxAsyncSend, id);
        }
        else if (entry.Count > 0)
        {
            Complete(id, _waiters.Deliver(_procs.Table.SlotOf(pid), id, buffer, size), now);
        }

        return CallResult.Done(0);
    }

    /// <summary>Waits for the pending operation of <paramref name="mailbox"/> (checked: one is pending); its result (a length, or a negative errno).</summary>
    public CallResult Wait(int slot, int tid, EntryId<MailboxEntry> mailbox)
    {
        int id = mailbox.Index;
        ref MailboxEntry entry = ref Entry(id);
        if (entry.PendingDone != 0)
        {
            entry.Pending = AsyncOperation.None;
            return CallResult.Done(entry.PendingResult);
        }

        _threads.Block(slot, tid, WaitKind.MailboxAsync, id);
        return CallResult.Blocked;
    }

    /// <inheritdoc cref="MailboxSender{TLayout}.SendPosted"/>
    public void SendPosted(int id, ulong now) => _sender.SendPosted(id, now);

    /// <summary>Ends the pending operation of <paramref name="id"/> with <paramref name="result"/> and wakes whoever waits.</summary>
    public void Complete(int id, int result, ulong now) => _waiters.Complete(id, result, now);

    /// <summary>The delivery time of a posted write came: it completes with its size.</summary>
    public void Delivered(int id, ulong now) => Complete(id, Entry(id).PendingSize, now);

    public CallResult Close(EntryId<MailboxEntry> mailbox)
    {
        Free(mailbox.Index);
        return CallResult.Done(0);
    }

    /// <summary>Frees every mailbox of a process that ended or left.</summary>
    public void CloseAll(int pid)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            // Forward entries stay: they belong to the process's life elsewhere (see ForgetForwards).
            if (Entry(id).Kind is MailboxKind.Input or MailboxKind.Output && Entry(id).OwnerPid == pid)
            {
                Free(id);
            }
        }
    }

    /// <inheritdoc cref="MailboxSender{TLayout}.Send"/>
    [KernelHotPath]
    public void Send(int slot, int tid, ulong now) => _sender.Send(slot, tid, now);

    /// <summary>
    /// Sends a kernel message (for a service) to <paramref name="port"/> of <paramref name="node"/>; false when nobody
    /// listens there. The answer, if any, comes back to this node's kernel port.
    /// </summary>
    public bool SendRaw(int node, int port, ReadOnlySpan<byte> body) => _outbox.SendKernel(node, port, body);

    /// <summary>Sends what the backlog holds for nodes that have room now, in order per node; keeps the rest for later.</summary>
    public void FlushBacklog(ulong now) => _outbox.Flush(now);

    void IBacklogTimer.FlushAt(ulong cycle) => _events.Defer(cycle, KernelEventKind.MailboxBacklog, 0);

    /// <summary>Takes the messages that reached this node's hardware mailbox and hands each to its port.</summary>
    [KernelHotPath]
    public void Receive(IMailboxInput hardware, ulong now)
    {
        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (hardware.TryRead(message, out MailboxMessage info))
        {
            int port = message[2];
            if (port != KernelConstants.KernelPort)
            {
                _arrivals.Take(message, info.Length, now);
                continue;
            }

            ReadOnlySpan<byte> body = message[KernelConstants.MailboxHeaderBytes..info.Length];
            KernelPort?.OnKernelMessage(body, now);
        }
    }

    /// <inheritdoc cref="MailboxMigration{TLayout}.Unsettled"/>
    public string? Unsettled(int pid) => _migration.Unsettled(pid);

    /// <inheritdoc cref="MailboxMigration{TLayout}.Capture"/>
    public List<MailboxImage> Capture(int pid, int targetNode) => _migration.Capture(pid, targetNode);

    /// <inheritdoc cref="MailboxMigration{TLayout}.StayAfterAll"/>
    public void StayAfterAll(int pid, ulong now) => _migration.StayAfterAll(pid, now);

    /// <inheritdoc cref="MailboxMigration{TLayout}.LeaveBehind"/>
    public void LeaveBehind(int pid) => _migration.LeaveBehind(pid);

    /// <inheritdoc cref="MailboxForwards{TLayout}.ForgetForwards"/>
    public void ForgetForwards(int pid) => _forwards.ForgetForwards(pid);

    /// <inheritdoc cref="MailboxMigration{TLayout}.NodeEntriesNeeded"/>
    public int NodeEntriesNeeded(int pid) => _migration.NodeEntriesNeeded(pid);

    /// <inheritdoc cref="MailboxMigration{TLayout}.Reused"/>
    public int Reused(IReadOnlyList<MailboxImage> images) => _migration.Reused(images);

    /// <inheritdoc cref="MailboxMigration{TLayout}.CannotAdopt"/>
    public string? CannotAdopt(IReadOnlyList<MailboxImage> images) => _migration.CannotAdopt(images);

    /// <inheritdoc cref="MailboxMigration{TLayout}.Adopt"/>
    public int[] Adopt(int slot, IReadOnlyList<MailboxImage> images) => _migration.Adopt(slot, images);

    /// <inheritdoc cref="MailboxMigration{TLayout}.Resume"/>
    public void Resume(int pid, ulong now) => _migration.Resume(pid, now);

    /// <summary>Frees entry <paramref name="id"/> and the kernel pages of an input (its queue chain, its ordering page).</summary>
    private void Free(int id)
    {
        ref MailboxEntry entry = ref Entry(id);
        if (entry.Kind == MailboxKind.Input)
        {
            _queue.Free(entry);
            _ordering.Free(entry);
        }

        entry = default;
    }

    /// <summary>A free entry for a descriptor of process <paramref name="pid"/>, or -1.</summary>
    private int FreeEntry(int pid)
    {
        int slot = _procs.Table.SlotOf(pid);
        return slot >= 0 ? _table.Free(slot) : -1;
    }

    private int NewDescriptor(int pid) => _table.NewDescriptor<MailboxEntry>(pid);
}
