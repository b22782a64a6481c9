using System.Buffers.Binary;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The messages the kernel itself sends: kernel messages for a service or another kernel, and messages sent on, as
/// they are, by a forward entry or an input a process left. Those that find their target's hardware mailbox full wait
/// in the backlog, a chain of kernel pages (target node, then the message), and go, in order per target, as the target
/// has room again, tried every <see cref="RetryCycles"/>.
/// </summary>
internal sealed class MailboxOutbox(ClusterMemory memory, PageAllocator pages, MailboxOutputs outputs, int node, int maxMessage, IBacklogTimer timer)
{
    /// <summary>
    /// How long a write to a node whose hardware mailbox is full waits before it tries again (a user write stays parked,
    /// kernel messages wait in the backlog). A message takes about 50 cycles to cross the NoC in hardware timing.
    /// </summary>
    public const ulong RetryCycles = 1_000;

    private const int BacklogSlotBytes = 4 + KernelConstants.MailboxSlotBytes;
    private const int BacklogSlots = ((int)KernelConstants.PageSize - 4) / BacklogSlotBytes;
    private const int BacklogLinkOffset = BacklogSlots * BacklogSlotBytes;

    private uint _backlogHead;
    private uint _backlogTail;
    private int _backlogTailCount;
    private int _backlogCount;
    private bool _backlogRetryDue;

    /// <summary>Messages sent on by forward entries to where their process moved.</summary>
    public int Forwarded { get; private set; }

    /// <summary>Messages dropped: sent on to a node nobody listens at, or with no kernel page left for the backlog.</summary>
    public int Dropped { get; private set; }

    /// <summary>
    /// Sends a kernel message (for a service) to <paramref name="port"/> of <paramref name="target"/>; false when nobody
    /// listens there. The answer, if any, comes back to this node's kernel port.
    /// </summary>
    public bool SendKernel(int target, int port, ReadOnlySpan<byte> body)
    {
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + maxMessage];
        message = message[..(KernelConstants.MailboxHeaderBytes + body.Length)];
        MailboxHeader.Write(message, body.Length, port, node);
        body.CopyTo(message[KernelConstants.MailboxHeaderBytes..]);
        return Post(target, message);
    }

    /// <summary>Sends a message on, as it is (header and stamp), to the node its port's process moved to.</summary>
    public void SendOn(int target, ReadOnlySpan<byte> message)
    {
        if (Post(target, message))
        {
            Forwarded++;
        }
        else
        {
            Dropped++;
        }
    }

    /// <summary>Sends what the backlog holds for nodes that have room now, in order per node; keeps the rest for later.</summary>
    public void Flush(ulong now)
    {
        _backlogRetryDue = false;
        Span<bool> blocked = stackalloc bool[outputs.Count];
        int kept = 0;
        for (int i = 0; i < _backlogCount; i++)
        {
            Span<byte> slot = BacklogSlot(i);
            int target = BinaryPrimitives.ReadInt32LittleEndian(slot);
            ReadOnlySpan<byte> message = MailboxQueue.Framed(slot[4..]);
            IMailboxOutput output = outputs.Opened(target);
            if (!blocked[target] && !output.IsReceiverFull)
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

            blocked[target] = true;
            if (kept != i)
            {
                slot.CopyTo(BacklogSlot(kept));
            }

            kept++;
        }

        // Give back the pages past the messages kept.
        int pagesKept = kept == 0 ? 0 : ((kept - 1) / BacklogSlots) + 1;
        uint page = _backlogHead;
        uint last = 0;
        for (int p = 0; page != 0; p++)
        {
            uint next = p == ((_backlogCount - 1) / BacklogSlots) ? 0 : memory.Read<uint>(page + (ulong)BacklogLinkOffset);
            if (p >= pagesKept)
            {
                pages.Free(page);
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

        memory.Write(last + (ulong)BacklogLinkOffset, 0u);
        _backlogTail = last;
        _backlogTailCount = ((kept - 1) % BacklogSlots) + 1;
        _backlogRetryDue = true;
        timer.FlushAt(now + RetryCycles);
    }

    /// <summary>
    /// Sends a kernel's message (stamped or raw) to <paramref name="target"/>, or keeps it in the backlog while that node's
    /// mailbox is full or earlier messages for it wait there; false when nobody listens at that node.
    /// </summary>
    private bool Post(int target, ReadOnlySpan<byte> message)
    {
        try
        {
            IMailboxOutput output = outputs.To(target);
            if (output.IsReceiverFull || (_backlogCount > 0 && BacklogHolds(target)))
            {
                return Backlog(target, message);
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
            page = memory.Read<uint>(page + (ulong)BacklogLinkOffset);
        }

        return memory.Bytes(page + (ulong)(index % BacklogSlots * BacklogSlotBytes), BacklogSlotBytes);
    }

    private bool BacklogHolds(int target)
    {
        for (int i = 0; i < _backlogCount; i++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(BacklogSlot(i)) == target)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keeps <paramref name="message"/> for <paramref name="target"/> until it has room; false (dropped) when the kernel pool is exhausted.</summary>
    private bool Backlog(int target, ReadOnlySpan<byte> message)
    {
        if (_backlogCount == 0 || _backlogTailCount == BacklogSlots)
        {
            if (!pages.TryAllocate(out uint page))
            {
                Dropped++;
                return false;
            }

            memory.Write(page + (ulong)BacklogLinkOffset, 0u);
            if (_backlogCount == 0)
            {
                _backlogHead = page;
            }
            else
            {
                memory.Write(_backlogTail + (ulong)BacklogLinkOffset, page);
            }

            _backlogTail = page;
            _backlogTailCount = 0;
        }

        Span<byte> slot = memory.Bytes(_backlogTail + (ulong)(_backlogTailCount * BacklogSlotBytes), BacklogSlotBytes);
        BinaryPrimitives.WriteInt32LittleEndian(slot, target);
        message.CopyTo(slot[4..]);
        _backlogTailCount++;
        _backlogCount++;
        if (!_backlogRetryDue)
        {
            _backlogRetryDue = true;
            timer.FlushAt(timer.Now + RetryCycles);
        }

        return true;
    }
}
