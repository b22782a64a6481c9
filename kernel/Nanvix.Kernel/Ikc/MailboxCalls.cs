using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Virtual mailboxes over the NoC, as in Nanvix: many mailboxes per node, told apart by port, multiplexed over the
/// node's one hardware mailbox. The kernel prefixes each message with an 8-byte header (length, destination port,
/// source node), so a user message holds the machine's mailbox payload minus 8 bytes (120 bytes on the MPPA-256).
/// A write blocks until the message has crossed the NoC; a read blocks until a message for its port is there.
/// Messages that reach a port before its mailbox exists wait in the node's unclaimed queue (32 messages).
/// </summary>
internal sealed class MailboxCalls<TLayout>
    where TLayout : struct, IProcessLayout
{
    private const int Slots = (int)(KernelConstants.PageSize / KernelConstants.MailboxSlotBytes);

    /// <summary>Message slots of one page of an input's queue; the last slot's first word links to the next page.</summary>
    private const int QueueSlots = Slots - 1;

    private const int LinkOffset = QueueSlots * KernelConstants.MailboxSlotBytes;

    private readonly ClusterKernel<TLayout> _kernel;
    private readonly INoc _noc;
    private readonly int _node;
    private readonly ulong _table;
    private readonly uint _unclaimed;
    private readonly IMailboxOutput?[] _outputs;
    private int _unclaimedCount;

    public MailboxCalls(ClusterKernel<TLayout> kernel, INoc noc, int node, ulong table, uint unclaimedPage)
    {
        _kernel = kernel;
        _noc = noc;
        _node = node;
        _table = table;
        _unclaimed = unclaimedPage;
        _outputs = new IMailboxOutput?[noc.Spec.Topology.NodeCount];
        MaxMessage = noc.Spec.MailboxPayloadBytes - KernelConstants.MailboxHeaderBytes;
    }

    /// <summary>Largest user message.</summary>
    public int MaxMessage { get; }

    /// <summary>Messages dropped because an input's queue (or the unclaimed queue) was full.</summary>
    public int Dropped { get; private set; }

    private ref MailboxEntry Entry(int id) => ref _kernel.Memory.At<MailboxEntry>(_table + (ulong)(id * Unsafe.SizeOf<MailboxEntry>()));

    public CallResult Create(int pid, int port)
    {
        if ((uint)port >= KernelConstants.MailboxPorts || port == KernelConstants.KernelPort)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        int free = -1;
        for (int id = KernelConstants.MaxMailboxes - 1; id >= 0; id--)
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Input && entry.Port == port)
            {
                return CallResult.Error(Errno.EBUSY);
            }

            if (entry.Kind == MailboxKind.Free)
            {
                free = id;
            }
        }

        if (free < 0)
        {
            return CallResult.Error(Errno.ENOSPC);
        }

        if (!_kernel.KernelPages.TryAllocate(out uint buffer))
        {
            return CallResult.Error(Errno.ENOMEM);
        }

        ref MailboxEntry created = ref Entry(free);
        created = default;
        created.Kind = MailboxKind.Input;
        created.OwnerPid = pid;
        created.Port = port;
        created.Buffer = buffer;
        created.Tail = buffer;
        Claim(free);
        return CallResult.Done(free);
    }

    public CallResult Open(int pid, int node, int port)
    {
        if (!_noc.Spec.Topology.IsValidNode(node) || (uint)port >= KernelConstants.MailboxPorts)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        for (int id = 0; id < KernelConstants.MaxMailboxes; id++)
        {
            ref MailboxEntry entry = ref Entry(id);
            if (entry.Kind == MailboxKind.Free)
            {
                entry = default;
                entry.Kind = MailboxKind.Output;
                entry.OwnerPid = pid;
                entry.Port = port;
                entry.RemoteNode = node;
                return CallResult.Done(id);
            }
        }

        return CallResult.Error(Errno.ENOSPC);
    }

    [KernelHotPath]
    public CallResult Read(int slot, int tid, int pid, int id, uint buffer, uint size)
    {
        if (!Owns(pid, id, MailboxKind.Input))
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
    public CallResult Write(int slot, int tid, int pid, int id, uint size, ulong now)
    {
        if (!Owns(pid, id, MailboxKind.Output))
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
    public CallResult Post(int pid, int id, uint buffer, uint size, bool write, ulong now)
    {
        if (!Owns(pid, id, write ? MailboxKind.Output : MailboxKind.Input))
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
    public CallResult Wait(int slot, int tid, int pid, int id)
    {
        if (!Owns(pid, id, MailboxKind.Input) && !Owns(pid, id, MailboxKind.Output))
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

    public CallResult Close(int pid, int id)
    {
        if (!Owns(pid, id, MailboxKind.Input) && !Owns(pid, id, MailboxKind.Output))
        {
            return CallResult.Error(Errno.EBADF);
        }

        ref MailboxEntry entry = ref Entry(id);
        if (entry.Kind == MailboxKind.Input)
        {
            // Free the whole chain of queue pages, oldest first.
            for (uint page = entry.Buffer; page != 0;)
            {
                uint next = page == entry.Tail ? 0 : _kernel.Memory.Read<uint>(page + (ulong)LinkOffset);
                _kernel.KernelPages.Free(page);
                page = next;
            }
        }

        entry = default;
        return CallResult.Done(0);
    }

    /// <summary>True when process <paramref name="pid"/> has a mailbox open.</summary>
    public bool Holds(int pid)
    {
        for (int id = 0; id < KernelConstants.MaxMailboxes; id++)
        {
            if (Entry(id).Kind != MailboxKind.Free && Entry(id).OwnerPid == pid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Frees every mailbox of a process that ended.</summary>
    public void CloseAll(int pid)
    {
        for (int id = 0; id < KernelConstants.MaxMailboxes; id++)
        {
            if (Entry(id).Kind != MailboxKind.Free && Entry(id).OwnerPid == pid)
            {
                Close(pid, id);
            }
        }
    }

    /// <summary>Sends the message of a writer parked by <see cref="Write"/>; it resumes when the message arrives.</summary>
    [KernelHotPath]
    public void Send(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref _kernel.Context(slot, tid);
        int id = (int)context.Get(AbiRegister.A0);
        ulong end = Transmit(slot, id, context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), out int result);
        _kernel.Wake(slot, tid, result, result < 0 ? now : end);
    }

    /// <summary>Copies a user message and puts it on the NoC; its arrival cycle, and its size or a negative errno.</summary>
    [KernelHotPath]
    private ulong Transmit(int slot, int id, uint buffer, int size, out int result)
    {
        ref MailboxEntry entry = ref Entry(id);
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + MaxMessage];
        message = message[..(KernelConstants.MailboxHeaderBytes + size)];
        BinaryPrimitives.WriteUInt16LittleEndian(message, (ushort)size);
        BinaryPrimitives.WriteUInt16LittleEndian(message[2..], (ushort)entry.Port);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], (ushort)_node);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], 0);
        if (!_kernel.User(slot).CopyFrom(buffer, message[KernelConstants.MailboxHeaderBytes..]))
        {
            result = -Errno.EFAULT;
            return 0;
        }

        int transfer;
        try
        {
            IMailboxOutput output = _outputs[entry.RemoteNode] ??= _noc.OpenMailbox(_node, entry.RemoteNode);
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
        BinaryPrimitives.WriteUInt16LittleEndian(message, (ushort)body.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message[2..], (ushort)port);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], (ushort)_node);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], 0);
        body.CopyTo(message[KernelConstants.MailboxHeaderBytes..]);
        try
        {
            (_outputs[node] ??= _noc.OpenMailbox(_node, node)).Write(message);
            return true;
        }
        catch (NocException)
        {
            return false;
        }
    }

    /// <summary>Takes the messages that reached this node's hardware mailbox and hands each to its port.</summary>
    [KernelHotPath]
    public void Receive(IMailboxInput hardware, ulong now)
    {
        Span<byte> message = stackalloc byte[_noc.Spec.MailboxPayloadBytes];
        while (hardware.TryRead(message, out MailboxMessage info))
        {
            int port = BinaryPrimitives.ReadUInt16LittleEndian(message[2..]);
            if (port == KernelConstants.KernelPort)
            {
                _kernel.Names?.Answer(message[KernelConstants.MailboxHeaderBytes..info.Length], now);
                continue;
            }

            int id = InputOf(port);
            if (id < 0)
            {
                Park(message[..info.Length]);
                continue;
            }

            Enqueue(id, message[..info.Length]);
            WakeReader(id, now);
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
            if (BinaryPrimitives.ReadUInt16LittleEndian(message[2..]) == port)
            {
                Enqueue(id, message);
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
        for (int id = 0; id < KernelConstants.MaxMailboxes; id++)
        {
            if (Entry(id).Kind == MailboxKind.Input && Entry(id).Port == port)
            {
                return id;
            }
        }

        return -1;
    }

    private bool Owns(int pid, int id, MailboxKind kind) =>
        (uint)id < KernelConstants.MaxMailboxes && Entry(id).Kind == kind && Entry(id).OwnerPid == pid;
}
