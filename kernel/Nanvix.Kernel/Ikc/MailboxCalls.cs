using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
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
/// </summary>
internal sealed class MailboxCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    private const int Slots = (int)(KernelConstants.PageSize / KernelConstants.MailboxSlotBytes);

    /// <summary>Message slots of one page of an input's queue; the last slot's first word links to the next page.</summary>
    private const int QueueSlots = Slots - 1;

    private const int LinkOffset = QueueSlots * KernelConstants.MailboxSlotBytes;

    /// <summary>Ingress nodes an ordering page has an expected stamp for (2 bytes each, before the held messages).</summary>
    private const int MaxIngressNodes = 128;

    private const int HeldOffset = MaxIngressNodes * 2;

    /// <summary>
    /// Held messages the ordering page itself has room for; more go into a chain of kernel pages (31 slots each) linked
    /// from the ordering page's last slot, as the queue's pages are, so that nothing is dropped while a process moves.
    /// </summary>
    private const int OrderingHeldSlots = (LinkOffset - HeldOffset) / KernelConstants.MailboxSlotBytes;

    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly IkcTable<TLayout> _table;
    private readonly uint _unclaimed;
    private readonly IMailboxOutput?[] _outputs;
    private int _unclaimedCount;

    /// <summary>
    /// The backlog: messages the kernel sends (sent on by a forward entry or an input a process left, kernel messages)
    /// that found their target's hardware mailbox full. They wait in a chain of kernel pages (target node, then the
    /// message) and go, in order per target, as the target has room again, tried every <see cref="RetryCycles"/>.
    /// </summary>
    private uint _backlogHead;
    private uint _backlogTail;
    private int _backlogTailCount;
    private int _backlogCount;
    private bool _backlogRetryDue;

    public MailboxCalls(ClusterKernel<TLayout> kernel, INoc noc, int node, IkcTable<TLayout> table, uint unclaimedPage)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
        _table = table;
        _unclaimed = unclaimedPage;
        _outputs = new IMailboxOutput?[noc.Spec.Topology.NodeCount];
        if (noc.Spec.Topology.NodeCount > MaxIngressNodes)
        {
            throw new ArgumentException($"the NoC has {noc.Spec.Topology.NodeCount} nodes; mailbox ordering pages keep {MaxIngressNodes}");
        }

        MaxMessage = noc.Spec.MailboxPayloadBytes - KernelConstants.MailboxHeaderBytes;
    }

    /// <summary>
    /// How long a write to a node whose hardware mailbox is full waits before it tries again (a user write stays parked,
    /// kernel messages wait in the backlog). A message takes about 50 cycles to cross the NoC in hardware timing.
    /// </summary>
    public const ulong RetryCycles = 1_000;

    private const int BacklogSlotBytes = 4 + KernelConstants.MailboxSlotBytes;
    private const int BacklogSlots = ((int)KernelConstants.PageSize - 4) / BacklogSlotBytes;
    private const int BacklogLinkOffset = BacklogSlots * BacklogSlotBytes;

    /// <summary>Largest user message.</summary>
    public int MaxMessage { get; }

    /// <summary>Messages dropped because an input's queue (or the unclaimed queue, or its ordering page) was full.</summary>
    public int Dropped { get; private set; }

    /// <summary>Messages sent on by forward entries to where their process moved.</summary>
    public int Forwarded { get; private set; }

    private ref MailboxEntry Entry(int id) => ref _table.At<MailboxEntry>(id);

    public CallResult Create(int pid, int port)
    {
        if ((uint)port >= KernelConstants.MailboxPorts || port == KernelConstants.KernelPort)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        // A port is taken by an input, or by the forward entry of another process that moved away and still gets
        // messages sent on from here.
        int forward = ForwardOf(port);
        if (InputOf(port) >= 0 || (forward >= 0 && Entry(forward).OwnerPid != pid))
        {
            return CallResult.Error(Errno.EBUSY);
        }

        int free = FreeEntry(pid);
        if (free < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        if (!_kernel.KernelPages.TryAllocate(out uint buffer))
        {
            return CallResult.Error(Errno.ENOMEM);
        }

        if (!_kernel.KernelPages.TryAllocate(out uint ordering))
        {
            _kernel.KernelPages.Free(buffer);
            return CallResult.Error(Errno.ENOMEM);
        }

        // This process once listened on this port here and moved away, leaving a forward entry: the input takes over
        // its stamps, so messages stamped before and after line up.
        int stamp = 0;
        if (forward >= 0)
        {
            stamp = Entry(forward).NextStamp;
            Entry(forward) = default;
        }

        int descriptor = NewDescriptor(pid);
        _kernel.Memory.Bytes(ordering, (int)KernelConstants.PageSize).Clear();
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
        Claim(free);
        return CallResult.Done(descriptor);
    }

    public CallResult Open(int pid, int node, int port)
    {
        if (!_noc.Spec.Topology.IsValidNode(node) || (uint)port >= KernelConstants.MailboxPorts)
        {
            return CallResult.Error(Errno.EINVAL);
        }

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

    [KernelHotPath]
    public CallResult Read(int slot, int tid, int pid, int descriptor, uint buffer, uint size)
    {
        int id = Find(pid, descriptor, MailboxKind.Input);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (Entry(id).Count > 0)
        {
            return CallResult.Done(Deliver(slot, id, buffer, size));
        }

        _kernel.Block(slot, tid, WaitKind.MailboxRead, id);
        return CallResult.Blocked;
    }

    /// <summary>Checks a write and parks the writer; the message leaves at <paramref name="now"/>, through <see cref="Send"/>.</summary>
    [KernelHotPath]
    public CallResult Write(int slot, int tid, int pid, int descriptor, uint size, ulong now)
    {
        int id = Find(pid, descriptor, MailboxKind.Output);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        if (size > (uint)MaxMessage)
        {
            return CallResult.Error(Errno.EMSGSIZE);
        }

        _kernel.Block(slot, tid, WaitKind.MailboxWrite, id);
        _kernel.Defer(now, slot, tid);
        return CallResult.Blocked;
    }

    /// <summary>
    /// Posts a read (<paramref name="write"/> false) or a write without waiting: the message is copied from or to
    /// the user buffer when it leaves or arrives, so the buffer must stay as it is until <see cref="Wait"/>.
    /// </summary>
    public CallResult Post(int pid, int descriptor, uint buffer, uint size, bool write, ulong now)
    {
        int id = Find(pid, descriptor, write ? MailboxKind.Output : MailboxKind.Input);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        ref MailboxEntry entry = ref Entry(id);
        if (entry.Pending != AsyncOperation.None)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        if (write && size > (uint)MaxMessage)
        {
            return CallResult.Error(Errno.EMSGSIZE);
        }

        entry.Pending = write ? AsyncOperation.Write : AsyncOperation.Read;
        entry.PendingBuffer = buffer;
        entry.PendingSize = (int)size;
        entry.PendingDone = 0;
        if (write)
        {
            _kernel.Defer(now, KernelEventKind.MailboxAsyncSend, id);
        }
        else if (entry.Count > 0)
        {
            Complete(id, Deliver(_kernel.Processes.SlotOf(pid), id, buffer, size), now);
        }

        return CallResult.Done(0);
    }

    /// <summary>Waits for the pending operation of <paramref name="id"/>; its result (a length, or a negative errno).</summary>
    public CallResult Wait(int slot, int tid, int pid, int descriptor)
    {
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        ref MailboxEntry entry = ref Entry(id);
        if (entry.Pending == AsyncOperation.None)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (entry.PendingDone != 0)
        {
            entry.Pending = AsyncOperation.None;
            return CallResult.Done(entry.PendingResult);
        }

        _kernel.Block(slot, tid, WaitKind.MailboxAsync, id);
        return CallResult.Blocked;
    }

    /// <summary>Sends the message of a posted asynchronous write, now that simulated time has reached it.</summary>
    public void SendPosted(int id, ulong now)
    {
        ref MailboxEntry entry = ref Entry(id);
        int slot = _kernel.Processes.SlotOf(entry.OwnerPid);
        if (entry.Pending != AsyncOperation.Write || slot < 0)
        {
            return;
        }

        ulong end = Transmit(slot, id, entry.PendingBuffer, entry.PendingSize, out int result);
        if (result == ReceiverFull)
        {
            _kernel.Defer(now + RetryCycles, KernelEventKind.MailboxAsyncSend, id);
            return;
        }

        if (result < 0)
        {
            Complete(id, result, now);
            return;
        }

        _kernel.Defer(end, KernelEventKind.MailboxAsyncDelivered, id);
    }

    /// <summary>Ends the pending operation of <paramref name="id"/> with <paramref name="result"/> and wakes whoever waits.</summary>
    public void Complete(int id, int result, ulong now)
    {
        ref MailboxEntry entry = ref Entry(id);
        entry.PendingDone = 1;
        entry.PendingResult = result;
        int slot = _kernel.Processes.SlotOf(entry.OwnerPid);
        int waiter = slot < 0 ? -1 : _kernel.FirstWaiter(slot, WaitKind.MailboxAsync, id);
        if (waiter >= 0)
        {
            entry.Pending = AsyncOperation.None;
            _kernel.Wake(slot, waiter, result, now);
        }
    }

    /// <summary>The delivery time of a posted write came: it completes with its size.</summary>
    public void Delivered(int id, ulong now) => Complete(id, Entry(id).PendingSize, now);

    public CallResult Close(int pid, int descriptor)
    {
        int id = Find(pid, descriptor);
        if (id < 0)
        {
            return CallResult.Error(Errno.EBADF);
        }

        Free(id);
        return CallResult.Done(0);
    }

    /// <summary>Frees entry <paramref name="id"/> and the kernel pages of an input (its queue chain, its ordering page).</summary>
    private void Free(int id)
    {
        ref MailboxEntry entry = ref Entry(id);
        if (entry.Kind == MailboxKind.Input)
        {
            FreeQueue(entry);
            FreeHeldChain(entry);
            _kernel.KernelPages.Free(entry.Ordering);
        }

        entry = default;
    }

    /// <summary>Frees the whole chain of queue pages of an input, oldest first.</summary>
    private void FreeQueue(in MailboxEntry entry)
    {
        for (uint page = entry.Buffer; page != 0;)
        {
            uint next = page == entry.Tail ? 0 : _kernel.Memory.Read<uint>(page + (ulong)LinkOffset);
            _kernel.KernelPages.Free(page);
            page = next;
        }
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

    /// <summary>Why the mailboxes of <paramref name="pid"/> cannot move at this instant (a posted write still under way), or null.</summary>
    public string? Unsettled(int pid)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Output && entry.OwnerPid == pid && entry.Pending == AsyncOperation.Write && entry.PendingDone == 0)
            {
                return $"mailbox {entry.Descriptor} has a posted write under way";
            }
        }

        return null;
    }

    /// <summary>
    /// Copies the mailboxes of <paramref name="pid"/> out for a move to <paramref name="targetNode"/>: each descriptor,
    /// and for an input its queued messages and ordering table. From now until <see cref="LeaveBehind"/> or
    /// <see cref="StayAfterAll"/>, what arrives for its inputs is held.
    /// </summary>
    public List<MailboxImage> Capture(int pid, int targetNode)
    {
        var images = new List<MailboxImage>();
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind is not (MailboxKind.Input or MailboxKind.Output) || entry.OwnerPid != pid)
            {
                continue;
            }

            byte[] messages = [];
            byte[] ordering = [];
            if (entry.Kind == MailboxKind.Input)
            {
                messages = new byte[entry.Count * KernelConstants.MailboxSlotBytes];
                for (int m = 0; m < entry.Count; m++)
                {
                    QueuedMessage(entry, m).CopyTo(messages.AsSpan(m * KernelConstants.MailboxSlotBytes));
                }

                ordering = _kernel.Memory.Bytes(entry.Ordering, HeldOffset).ToArray();
                entry.RemoteNode = targetNode;
                entry.Carried = entry.Count;
            }

            images.Add(new MailboxImage(id, entry, messages, ordering));
        }

        return images;
    }

    /// <summary>Message <paramref name="index"/> of an input's queue (0 the oldest), in its chain of pages.</summary>
    private Span<byte> QueuedMessage(in MailboxEntry entry, int index)
    {
        int position = entry.Head + index;
        uint page = entry.Buffer;
        for (int hops = position / QueueSlots; hops > 0; hops--)
        {
            page = _kernel.Memory.Read<uint>(page + (ulong)LinkOffset);
        }

        return _kernel.Memory.Bytes(page + (ulong)(position % QueueSlots * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);
    }

    /// <summary>The move was called off: the inputs' readers take what came meanwhile (it was queued in turn).</summary>
    public void StayAfterAll(int pid, ulong now)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Input && entry.OwnerPid == pid && entry.RemoteNode >= 0)
            {
                entry.RemoteNode = -1;
                entry.Carried = 0;
                if (entry.Count > 0)
                {
                    WakeReader(id, now);
                }
            }
        }
    }

    /// <summary>
    /// The process moved: each input sends on what came after the messages the move carried (queued in turn, then
    /// those held ahead of their turn) and becomes a forward entry to the process's new node (keeping its stamp count);
    /// outputs are freed.
    /// </summary>
    public void LeaveBehind(int pid)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.OwnerPid != pid)
            {
                continue;
            }

            if (entry.Kind == MailboxKind.Output)
            {
                entry = default;
            }
            else if (entry.Kind == MailboxKind.Input)
            {
                int target = entry.RemoteNode;
                for (int m = entry.Carried; m < entry.Count; m++)
                {
                    SendOn(target, Framed(QueuedMessage(entry, m)));
                }

                for (int i = 0; i < entry.Held; i++)
                {
                    SendOn(target, Framed(HeldSlot(entry, i)));
                }

                FreeQueue(entry);
                FreeHeldChain(entry);
                _kernel.KernelPages.Free(entry.Ordering);
                int port = entry.Port;
                int stamp = entry.NextStamp;
                entry = default;
                entry.Kind = MailboxKind.Forward;
                entry.OwnerPid = pid;
                entry.Port = port;
                entry.RemoteNode = target;
                entry.NextStamp = stamp;

                // The forward is the node's now, no longer the process's (under UArea it leaves the User Area; the
                // move was refused before it started if the node had no entry for it, see NodeEntriesNeeded).
                _table.ForNode(id);
            }
        }
    }

    /// <summary>A message slot cut to its header and payload.</summary>
    private static ReadOnlySpan<byte> Framed(ReadOnlySpan<byte> slot) => slot[..(KernelConstants.MailboxHeaderBytes + BinaryPrimitives.ReadUInt16LittleEndian(slot))];

    /// <summary>Drops the forward entries of a process that ended (wherever it ended).</summary>
    public void ForgetForwards(int pid)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Forward && Entry(id).OwnerPid == pid)
            {
                Entry(id) = default;
            }
        }
    }

    /// <summary>The node entries the mailboxes of <paramref name="pid"/> leave behind if it moves away: a forward per input.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            needed += Entry(id).Kind == MailboxKind.Input && Entry(id).OwnerPid == pid ? 1 : 0;
        }

        return needed;
    }

    /// <summary>How many of <paramref name="images"/> take an entry this node frees for them (a forward of their port).</summary>
    public int Reused(IReadOnlyList<MailboxImage> images)
    {
        int reused = 0;
        foreach (MailboxImage image in images)
        {
            reused += image.Entry.Kind == MailboxKind.Input && ForwardOf(image.Entry.Port) >= 0 ? 1 : 0;
        }

        return reused;
    }

    /// <summary>Why this node cannot take <paramref name="images"/> (a port taken, no kernel pages), or null; room in the table is asked of the table.</summary>
    public string? CannotAdopt(IReadOnlyList<MailboxImage> images)
    {
        int pages = 0;
        foreach (MailboxImage image in images)
        {
            if (image.Entry.Kind == MailboxKind.Input)
            {
                int forward = ForwardOf(image.Entry.Port);
                if (InputOf(image.Entry.Port) >= 0 || (forward >= 0 && Entry(forward).OwnerPid != image.Entry.OwnerPid))
                {
                    return $"port {image.Entry.Port} of node {_node} is taken";
                }

                pages += 2 + (image.Entry.Count / QueueSlots);
            }
        }

        return _kernel.KernelPages.FreeCount < pages ? $"node {_node} has not the {pages} kernel pages the mailbox queues need" : null;
    }

    /// <summary>
    /// Takes the mailboxes of a process that moved here (checked by <see cref="CannotAdopt"/>): the same descriptors,
    /// queues and ordering tables; an input takes over the stamp count of a forward entry this node kept for its port.
    /// Returns the new table index of each image, in order.
    /// </summary>
    public int[] Adopt(int slot, IReadOnlyList<MailboxImage> images)
    {
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            MailboxImage image = images[i];
            int forward = image.Entry.Kind == MailboxKind.Input ? ForwardOf(image.Entry.Port) : -1;

            // This node stamps the port's messages that reach it first from now on, counting from where the input
            // expects this node's stamps to be (the source's count is the source's: its stamps bear its node), or
            // from the count of the forward it left here, whose stamps may still be on their way to it.
            int stamp = image.Ordering.Length >= 2 * (_node + 1) ? BinaryPrimitives.ReadUInt16LittleEndian(image.Ordering.AsSpan(2 * _node)) : 0;
            if (forward >= 0)
            {
                stamp = Entry(forward).NextStamp;
                Entry(forward) = default;
            }

            int id = _table.Free(slot);
            indices[i] = id;
            ref MailboxEntry entry = ref Entry(id);
            entry = image.Entry;
            if (entry.Kind != MailboxKind.Input)
            {
                continue;
            }

            _kernel.KernelPages.TryAllocate(out uint buffer);
            _kernel.KernelPages.TryAllocate(out uint ordering);
            _kernel.Memory.Bytes(ordering, (int)KernelConstants.PageSize).Clear();
            image.Ordering.CopyTo(_kernel.Memory.Bytes(ordering, HeldOffset));
            entry.Buffer = buffer;
            entry.Tail = buffer;
            entry.Head = 0;
            entry.TailCount = 0;
            entry.Count = 0;
            entry.Held = 0;
            entry.Carried = 0;
            entry.Ordering = ordering;
            entry.NextStamp = stamp;
            entry.RemoteNode = -1;
            int received = entry.Received;
            for (int m = 0; m < image.Messages.Length / KernelConstants.MailboxSlotBytes; m++)
            {
                Enqueue(id, image.Messages.AsSpan(m * KernelConstants.MailboxSlotBytes, KernelConstants.MailboxSlotBytes));
            }

            entry.Received = received;
            Claim(id);
        }

        return indices;
    }

    /// <summary>After the threads of a process that moved here are back: wake those whose input already has messages.</summary>
    public void Resume(int pid, ulong now)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Input && Entry(id).OwnerPid == pid && Entry(id).Count > 0)
            {
                WakeReader(id, now);
            }
        }
    }

    /// <summary>Sends the message of a writer parked by <see cref="Write"/>; it resumes when the message arrives.</summary>
    [KernelHotPath]
    public void Send(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref _kernel.Context(slot, tid);
        int id = _kernel.State.Thread(slot, tid).WaitObject;
        ulong end = Transmit(slot, id, context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), out int result);
        if (result == ReceiverFull)
        {
            // The receiver's mailbox has no room now: the writer stays parked and tries again, as the hardware would stall it.
            _kernel.Defer(now + RetryCycles, slot, tid);
            return;
        }

        _kernel.Wake(slot, tid, result, result < 0 ? now : end);
    }

    /// <summary>What <see cref="Transmit"/> answers when the receiver's hardware mailbox is full: try again later.</summary>
    private const int ReceiverFull = int.MinValue;

    /// <summary>
    /// Copies a user message and puts it on the NoC; its arrival cycle, and its size, a negative errno, or
    /// <see cref="ReceiverFull"/>.
    /// </summary>
    [KernelHotPath]
    private ulong Transmit(int slot, int id, uint buffer, int size, out int result)
    {
        ref MailboxEntry entry = ref Entry(id);
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + MaxMessage];
        message = message[..(KernelConstants.MailboxHeaderBytes + size)];
        MailboxHeader.Write(message, size, entry.Port, _node);
        if (!_kernel.User(slot).CopyFrom(buffer, message[KernelConstants.MailboxHeaderBytes..]))
        {
            result = -Errno.EFAULT;
            return 0;
        }

        int transfer;
        try
        {
            IMailboxOutput output = _outputs[entry.RemoteNode] ??= _noc.OpenMailbox(_node, entry.RemoteNode);
            if (output.IsReceiverFull)
            {
                result = ReceiverFull;
                return 0;
            }

            transfer = output.Write(message);
        }
        catch (NocException)
        {
            // Nobody listens on that node (no kernel booted there), or its queue is full.
            result = -Errno.ECONNREFUSED;
            return 0;
        }

        entry.Sent++;
        result = size;
        return _noc.Transfer(transfer).End;
    }

    /// <summary>
    /// Sends a kernel message (for a service) to <paramref name="port"/> of <paramref name="node"/>; false when nobody
    /// listens there. The answer, if any, comes back to this node's kernel port.
    /// </summary>
    public bool SendRaw(int node, int port, ReadOnlySpan<byte> body)
    {
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + MaxMessage];
        message = message[..(KernelConstants.MailboxHeaderBytes + body.Length)];
        MailboxHeader.Write(message, body.Length, port, _node);
        body.CopyTo(message[KernelConstants.MailboxHeaderBytes..]);
        return Post(node, message);
    }

    /// <summary>
    /// Sends a kernel's message (stamped or raw) to <paramref name="node"/>, or keeps it in the backlog while that node's
    /// mailbox is full or earlier messages for it wait there; false when nobody listens at that node.
    /// </summary>
    private bool Post(int node, ReadOnlySpan<byte> message)
    {
        try
        {
            IMailboxOutput output = _outputs[node] ??= _noc.OpenMailbox(_node, node);
            if (output.IsReceiverFull || (_backlogCount > 0 && BacklogHolds(node)))
            {
                return Backlog(node, message);
            }

            output.Write(message);
            return true;
        }
        catch (NocException)
        {
            return false;
        }
    }

    private Span<byte> BacklogSlot(int index)
    {
        uint page = _backlogHead;
        for (int hops = index / BacklogSlots; hops > 0; hops--)
        {
            page = _kernel.Memory.Read<uint>(page + (ulong)BacklogLinkOffset);
        }

        return _kernel.Memory.Bytes(page + (ulong)(index % BacklogSlots * BacklogSlotBytes), BacklogSlotBytes);
    }

    private bool BacklogHolds(int node)
    {
        for (int i = 0; i < _backlogCount; i++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(BacklogSlot(i)) == node)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keeps <paramref name="message"/> for <paramref name="node"/> until it has room; false (dropped) when the kernel pool is exhausted.</summary>
    private bool Backlog(int node, ReadOnlySpan<byte> message)
    {
        if (_backlogCount == 0 || _backlogTailCount == BacklogSlots)
        {
            if (!_kernel.KernelPages.TryAllocate(out uint page))
            {
                Dropped++;
                return false;
            }

            _kernel.Memory.Write(page + (ulong)BacklogLinkOffset, 0u);
            if (_backlogCount == 0)
            {
                _backlogHead = page;
            }
            else
            {
                _kernel.Memory.Write(_backlogTail + (ulong)BacklogLinkOffset, page);
            }

            _backlogTail = page;
            _backlogTailCount = 0;
        }

        Span<byte> slot = _kernel.Memory.Bytes(_backlogTail + (ulong)(_backlogTailCount * BacklogSlotBytes), BacklogSlotBytes);
        BinaryPrimitives.WriteInt32LittleEndian(slot, node);
        message.CopyTo(slot[4..]);
        _backlogTailCount++;
        _backlogCount++;
        if (!_backlogRetryDue)
        {
            _backlogRetryDue = true;
            _kernel.Defer(_kernel.Now + RetryCycles, KernelEventKind.MailboxBacklog, 0);
        }

        return true;
    }

    /// <summary>Sends what the backlog holds for nodes that have room now, in order per node; keeps the rest for later.</summary>
    public void FlushBacklog(ulong now)
    {
        _backlogRetryDue = false;
        Span<bool> blocked = stackalloc bool[_outputs.Length];
        int kept = 0;
        for (int i = 0; i < _backlogCount; i++)
        {
            Span<byte> slot = BacklogSlot(i);
            int node = BinaryPrimitives.ReadInt32LittleEndian(slot);
            ReadOnlySpan<byte> message = Framed(slot[4..]);
            IMailboxOutput output = _outputs[node]!;
            if (!blocked[node] && !output.IsReceiverFull)
            {
                try
                {
                    output.Write(message);
                }
                catch (NocException)
                {
                    // Nobody listens there any more.
                    Dropped++;
                }

                continue;
            }

            blocked[node] = true;
            if (kept != i)
            {
                slot.CopyTo(BacklogSlot(kept));
            }

            kept++;
        }

        // Give back the pages past the messages kept.
        int pages = kept == 0 ? 0 : ((kept - 1) / BacklogSlots) + 1;
        uint page = _backlogHead;
        uint last = 0;
        for (int p = 0; page != 0; p++)
        {
            uint next = p == ((_backlogCount - 1) / BacklogSlots) ? 0 : _kernel.Memory.Read<uint>(page + (ulong)BacklogLinkOffset);
            if (p >= pages)
            {
                _kernel.KernelPages.Free(page);
            }
            else
            {
                last = page;
            }

            page = next;
        }

        _backlogCount = kept;
        if (kept == 0)
        {
            _backlogHead = 0;
            _backlogTail = 0;
            _backlogTailCount = 0;
            return;
        }

        _kernel.Memory.Write(last + (ulong)BacklogLinkOffset, 0u);
        _backlogTail = last;
        _backlogTailCount = ((kept - 1) % BacklogSlots) + 1;
        _backlogRetryDue = true;
        _kernel.Defer(now + RetryCycles, KernelEventKind.MailboxBacklog, 0);
    }

    /// <summary>Takes the messages that reached this node's hardware mailbox and hands each to its port.</summary>
    [KernelHotPath]
    public void Receive(IMailboxInput hardware, ulong now)
    {
        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (hardware.TryRead(message, out MailboxMessage info))
        {
            int port = message[2];
            if (port == KernelConstants.KernelPort)
            {
                ReadOnlySpan<byte> body = message[KernelConstants.MailboxHeaderBytes..info.Length];
                if (MigrationMessage.Is(body))
                {
                    _kernel.MigrationEndpoint?.OnMessage(body, now);
                }
                else if (SyncMessage.Is(body))
                {
                    _kernel.SyncPoints?.OnMessage(body, now);
                }
                else
                {
                    _kernel.Names?.Answer(body, now);
                }

                continue;
            }

            int id = InputOf(port);
            if (id >= 0)
            {
                Stamp(id, message);
                Accept(id, message[..info.Length], now);
                continue;
            }

            int forward = ForwardOf(port);
            if (forward >= 0)
            {
                Stamp(forward, message);
                SendOn(Entry(forward).RemoteNode, message[..info.Length]);
                continue;
            }

            Park(message[..info.Length]);
        }
    }

    /// <summary>Stamps a message that reaches a kernel for the first time with this node and the port's next count.</summary>
    [KernelHotPath]
    private void Stamp(int id, Span<byte> message)
    {
        if (message[3] != 0)
        {
            return;
        }

        ref MailboxEntry entry = ref Entry(id);
        message[3] = (byte)(_node + 1);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], (ushort)entry.NextStamp);
        entry.NextStamp = (entry.NextStamp + 1) & 0xFFFF;
    }

    /// <summary>
    /// Takes a stamped message for input <paramref name="id"/>: queued if it is the next of its ingress node (and
    /// then the held ones whose turn it makes), held if it is ahead (or while the process moves), dropped if it came
    /// already.
    /// </summary>
    [KernelHotPath]
    private void Accept(int id, ReadOnlySpan<byte> message, ulong now)
    {
        // While the process is on its way to another node, messages are taken in turn as always, into the queue that
        // grows with the kernel pool: the ones after those the move carries are sent on when it is done
        // (LeaveBehind), or read here if it is called off. Nobody reads them meanwhile: the process is frozen.
        ref MailboxEntry entry = ref Entry(id);
        int ahead = Ahead(entry, message);
        if (ahead < 0)
        {
            Dropped++;
            return;
        }

        if (ahead > 0)
        {
            Hold(id, message);
            return;
        }

        Enqueue(id, message);
        Advance(entry, message[3]);
        TakeHeldTurns(id);
        if (entry.RemoteNode < 0)
        {
            WakeReader(id, now);
        }
    }

    /// <summary>How far a message is ahead of its ingress node's turn: 0 its turn, above 0 early, below 0 a duplicate.</summary>
    private int Ahead(in MailboxEntry entry, ReadOnlySpan<byte> message)
    {
        ushort expected = _kernel.Memory.Read<ushort>(entry.Ordering + (ulong)(2 * (message[3] - 1)));
        ushort stamp = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        return (short)(ushort)(stamp - expected);
    }

    private void Advance(in MailboxEntry entry, byte ingress)
    {
        ulong at = entry.Ordering + (ulong)(2 * (ingress - 1));
        _kernel.Memory.Write(at, (ushort)(_kernel.Memory.Read<ushort>(at) + 1));
    }

    private void Hold(int id, ReadOnlySpan<byte> message)
    {
        ref MailboxEntry entry = ref Entry(id);
        int held = entry.Held;
        if (held >= OrderingHeldSlots && (held - OrderingHeldSlots) % QueueSlots == 0)
        {
            // The last held page is full: chain a new one, while the kernel pool has pages.
            if (!_kernel.KernelPages.TryAllocate(out uint page))
            {
                Dropped++;
                return;
            }

            _kernel.Memory.Write(page + (ulong)LinkOffset, 0u);
            _kernel.Memory.Write(HeldPage(entry, held - 1) + (ulong)LinkOffset, page);
        }

        message.CopyTo(HeldSlot(entry, held));
        entry.Held++;
    }

    /// <summary>The page held message <paramref name="index"/> lives in: the ordering page, or a page of its chain.</summary>
    private uint HeldPage(in MailboxEntry entry, int index)
    {
        uint page = entry.Ordering;
        for (int hops = index < OrderingHeldSlots ? 0 : 1 + ((index - OrderingHeldSlots) / QueueSlots); hops > 0; hops--)
        {
            page = _kernel.Memory.Read<uint>(page + (ulong)LinkOffset);
        }

        return page;
    }

    private Span<byte> HeldSlot(in MailboxEntry entry, int index)
    {
        int offset = index < OrderingHeldSlots
            ? HeldOffset + (index * KernelConstants.MailboxSlotBytes)
            : (index - OrderingHeldSlots) % QueueSlots * KernelConstants.MailboxSlotBytes;
        return _kernel.Memory.Bytes(HeldPage(entry, index) + (ulong)offset, KernelConstants.MailboxSlotBytes);
    }

    /// <summary>Frees the pages chained after the ordering page for held messages (none are held beyond it any more).</summary>
    private void FreeHeldChain(in MailboxEntry entry)
    {
        uint page = _kernel.Memory.Read<uint>(entry.Ordering + (ulong)LinkOffset);
        _kernel.Memory.Write(entry.Ordering + (ulong)LinkOffset, 0u);
        while (page != 0)
        {
            uint next = _kernel.Memory.Read<uint>(page + (ulong)LinkOffset);
            _kernel.KernelPages.Free(page);
            page = next;
        }
    }

    /// <summary>Queues the held messages whose turn has come, until none has.</summary>
    private void TakeHeldTurns(int id)
    {
        ref MailboxEntry entry = ref Entry(id);
        for (int i = 0; i < entry.Held;)
        {
            Span<byte> held = HeldSlot(entry, i);
            int ahead = Ahead(entry, held);
            if (ahead > 0)
            {
                i++;
                continue;
            }

            if (ahead == 0)
            {
                Enqueue(id, held);
                Advance(entry, held[3]);
            }
            else
            {
                Dropped++;
            }

            RemoveHeld(id, i);

            // A message queued may make an earlier held one the next: look again from the start.
            i = 0;
        }
    }

    /// <summary>Removes held message <paramref name="index"/>: the last held one takes its slot (their order does not matter, their stamps do).</summary>
    private void RemoveHeld(int id, int index)
    {
        ref MailboxEntry entry = ref Entry(id);
        int last = entry.Held - 1;
        if (index != last)
        {
            HeldSlot(entry, last).CopyTo(HeldSlot(entry, index));
        }

        entry.Held--;
        if (entry.Held == OrderingHeldSlots)
        {
            FreeHeldChain(entry);
        }
    }

    /// <summary>Sends a message on, as it is (header and stamp), to the node its port's process moved to.</summary>
    private void SendOn(int node, ReadOnlySpan<byte> message)
    {
        if (Post(node, message))
        {
            Forwarded++;
        }
        else
        {
            Dropped++;
        }
    }

    [KernelHotPath]
    private void WakeReader(int id, ulong now)
    {
        int pid = Entry(id).OwnerPid;
        int slot = _kernel.Processes.SlotOf(pid);
        if (slot < 0)
        {
            return;
        }

        ref MailboxEntry entry = ref Entry(id);
        if (entry.Pending == AsyncOperation.Read && entry.PendingDone == 0)
        {
            Complete(id, Deliver(slot, id, entry.PendingBuffer, (uint)entry.PendingSize), now);
            return;
        }

        int reader = _kernel.FirstWaiter(slot, WaitKind.MailboxRead, id);
        if (reader >= 0)
        {
            ref RegisterContext context = ref _kernel.Context(slot, reader);
            int result = Deliver(slot, id, context.Get(AbiRegister.A1), context.Get(AbiRegister.A2));
            _kernel.Wake(slot, reader, result, now);
        }
    }

    /// <summary>Copies the oldest queued message of input <paramref name="id"/> to the user; its length, or a negative errno.</summary>
    [KernelHotPath]
    private int Deliver(int slot, int id, uint buffer, uint size)
    {
        ref MailboxEntry entry = ref Entry(id);
        Span<byte> head = _kernel.Memory.Bytes(entry.Buffer + (ulong)(entry.Head * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(head);
        if (size < (uint)length)
        {
            return -Errno.EMSGSIZE;
        }

        if (!_kernel.User(slot).CopyTo(buffer, head.Slice(KernelConstants.MailboxHeaderBytes, length)))
        {
            return -Errno.EFAULT;
        }

        entry.Head++;
        entry.Count--;
        if (entry.Buffer == entry.Tail && entry.Head == entry.TailCount)
        {
            // The queue is empty: start again at the top of its one page.
            entry.Head = 0;
            entry.TailCount = 0;
        }
        else if (entry.Head == QueueSlots)
        {
            // The first page is used up: give it back and go on with the next one.
            uint next = _kernel.Memory.Read<uint>(entry.Buffer + (ulong)LinkOffset);
            _kernel.KernelPages.Free(entry.Buffer);
            entry.Buffer = next;
            entry.Head = 0;
        }

        return length;
    }

    [KernelHotPath]
    private void Enqueue(int id, ReadOnlySpan<byte> message)
    {
        ref MailboxEntry entry = ref Entry(id);
        if (entry.TailCount == QueueSlots)
        {
            // The last page is full: chain a new one, while the kernel pool has pages.
            if (!_kernel.KernelPages.TryAllocate(out uint page))
            {
                Dropped++;
                return;
            }

            _kernel.Memory.Write(entry.Tail + (ulong)LinkOffset, page);
            entry.Tail = page;
            entry.TailCount = 0;
        }

        message.CopyTo(_kernel.Memory.Bytes(entry.Tail + (ulong)(entry.TailCount * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
        entry.TailCount++;
        entry.Count++;
        entry.Received++;
    }

    private void Park(ReadOnlySpan<byte> message)
    {
        if (_unclaimedCount == Slots)
        {
            Dropped++;
            return;
        }

        int at = _unclaimedCount;
        message.CopyTo(_kernel.Memory.Bytes(_unclaimed + (ulong)(at * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
        _unclaimedCount++;
    }

    /// <summary>Moves the unclaimed messages for the port of new input <paramref name="id"/> into it, in order.</summary>
    private void Claim(int id)
    {
        int port = Entry(id).Port;
        int kept = 0;
        for (int i = 0; i < _unclaimedCount; i++)
        {
            int at = i;
            Span<byte> message = _kernel.Memory.Bytes(_unclaimed + (ulong)(at * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);
            if (message[2] == port)
            {
                Stamp(id, message);
                Accept(id, message, 0);
            }
            else
            {
                int to = kept;
                if (to != at)
                {
                    message.CopyTo(_kernel.Memory.Bytes(_unclaimed + (ulong)(to * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
                }

                kept++;
            }
        }

        _unclaimedCount = kept;
    }

    private int InputOf(int port)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Input && Entry(id).Port == port)
            {
                return id;
            }
        }

        return -1;
    }

    private int ForwardOf(int port)
    {
        for (int id = _table.First<MailboxEntry>(); id >= 0; id = _table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Forward && Entry(id).Port == port)
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>A free entry for a descriptor of process <paramref name="pid"/>, or -1.</summary>
    private int FreeEntry(int pid)
    {
        int slot = _kernel.Processes.SlotOf(pid);
        return slot >= 0 ? _table.Free(slot) : -1;
    }

    private int NewDescriptor(int pid) => _table.NewDescriptor<MailboxEntry>(pid);

    /// <summary>The table index of descriptor <paramref name="descriptor"/> of process <paramref name="pid"/> (input or output), or -1.</summary>
    [KernelHotPath]
    private int Find(int pid, int descriptor) => _table.Find<MailboxEntry>(pid, descriptor);

    [KernelHotPath]
    private int Find(int pid, int descriptor, MailboxKind kind)
    {
        int id = Find(pid, descriptor);
        return id >= 0 && Entry(id).Kind == kind ? id : -1;
    }
}
