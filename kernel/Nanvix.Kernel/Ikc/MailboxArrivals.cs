using Nanvix.Hal.Memory;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Where a message for a port of this node goes when it arrives: stamped and taken in turn by the port's input (whose
/// reader it may wake), stamped and sent on by the port's forward entry, or, with neither, parked in the node's
/// unclaimed queue (one kernel page of <see cref="MailboxQueue.Slots"/> messages) until an input claims it.
/// </summary>
internal sealed class MailboxArrivals<TLayout>(
    IkcTable<TLayout> table,
    ClusterMemory memory,
    uint unclaimed,
    MailboxForwards<TLayout> forwards,
    MailboxOrdering ordering,
    MailboxOutbox outbox,
    MailboxWaiters<TLayout> waiters)
    where TLayout : struct, IProcessLayout
{
    private int _unclaimedCount;

    /// <summary>Messages dropped because the unclaimed queue was full.</summary>
    public int Dropped { get; private set; }

    private ref MailboxEntry Entry(int id) => ref table.At<MailboxEntry>(id);

    /// <summary>Takes message <paramref name="message"/> (a hardware mailbox slot, <paramref name="length"/> bytes of it used) for a user port.</summary>
    [KernelHotPath]
    public void Take(Span<byte> message, int length, ulong now)
    {
        int port = message[2];
        int id = forwards.InputOf(port);
        if (id >= 0)
        {
            ordering.Stamp(ref Entry(id), message);
            Accept(id, message[..length], now);
            return;
        }

        int forward = forwards.ForwardOf(port);
        if (forward >= 0)
        {
            ordering.Stamp(ref Entry(forward), message);
            outbox.SendOn(Entry(forward).RemoteNode, message[..length]);
            return;
        }

        Park(message[..length]);
    }

    /// <summary>Moves the unclaimed messages for the port of new input <paramref name="id"/> into it, in order.</summary>
    public void Claim(int id)
    {
        int port = Entry(id).Port;
        int kept = 0;
        for (int i = 0; i < _unclaimedCount; i++)
        {
            int at = i;
            Span<byte> message = memory.Bytes(unclaimed + (ulong)(at * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes);
            if (message[2] == port)
            {
                ordering.Stamp(ref Entry(id), message);
                Accept(id, message, 0);
            }
            else
            {
                int to = kept;
                if (to != at)
                {
                    message.CopyTo(memory.Bytes(unclaimed + (ulong)(to * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
                }

                kept++;
            }
        }

        _unclaimedCount = kept;
    }

    /// <summary>
    /// Takes a stamped message for input <paramref name="id"/> (<see cref="MailboxOrdering.Accept"/>), and hands it to a
    /// reader if it was queued in turn and the input's process stays here.
    /// </summary>
    [KernelHotPath]
    private void Accept(int id, ReadOnlySpan<byte> message, ulong now)
    {
        // While the process is on its way to another node, messages are taken in turn as always, into the queue that
        // grows with the kernel pool: the ones after those the move carries are sent on when it is done
        // (LeaveBehind), or read here if it is called off. Nobody reads them meanwhile: the process is frozen.
        ref MailboxEntry entry = ref Entry(id);
        if (ordering.Accept(ref entry, message) && entry.RemoteNode < 0)
        {
            waiters.WakeReader(id, now);
        }
    }

    private void Park(ReadOnlySpan<byte> message)
    {
        if (_unclaimedCount == MailboxQueue.Slots)
        {
            Dropped++;
            return;
        }

        int at = _unclaimedCount;
        message.CopyTo(memory.Bytes(unclaimed + (ulong)(at * KernelConstants.MailboxSlotBytes), KernelConstants.MailboxSlotBytes));
        _unclaimedCount++;
    }
}
