using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The user's messages on their way out: the message of a parked writer or of a posted write, copied from the user
/// with its header and put on the NoC, tried again every <see cref="MailboxOutbox.RetryCycles"/> while the
/// receiver's hardware mailbox is full; the writer resumes, or the posted write completes, when it has arrived.
/// </summary>
internal sealed class MailboxSender<TLayout>(
    ThreadManager<TLayout> threads,
    ProcessManager<TLayout> procs,
    KernelEventPort events,
    INoc noc,
    int node,
    IkcTable<TLayout> table,
    MailboxOutputs outputs,
    MailboxWaiters<TLayout> waiters,
    int maxMessage)
    where TLayout : struct, IProcessLayout
{
    private const ulong RetryCycles = MailboxOutbox.RetryCycles;

    /// <summary>What <see cref="Transmit"/> answers when the receiver's hardware mailbox is full: try again later.</summary>
    private const int ReceiverFull = int.MinValue;

    /// <summary>Sends the message of a posted asynchronous write, now that simulated time has reached it.</summary>
    public void SendPosted(int id, ulong now)
    {
        ref MailboxEntry entry = ref Entry(id);
        int slot = procs.Table.SlotOf(entry.OwnerPid);
        if (entry.Pending != AsyncOperation.Write || slot < 0)
        {
            return;
        }

        ulong end = Transmit(slot, id, entry.PendingBuffer, entry.PendingSize, out int result);
        if (result == ReceiverFull)
        {
            events.Defer(now + RetryCycles, KernelEventKind.MailboxAsyncSend, id);
            return;
        }

        if (result < 0)
        {
            waiters.Complete(id, result, now);
            return;
        }

        events.Defer(end, KernelEventKind.MailboxAsyncDelivered, id);
    }

    /// <summary>Sends the message of a writer parked by <see cref="Mailboxes{TLayout}.Write"/>; it resumes when the message arrives.</summary>
    [KernelHotPath]
    public void Send(int slot, int tid, ulong now)
    {
        ref RegisterContext context = ref threads.Context(slot, tid);
        int id = threads.Entry(slot, tid).WaitObject;
        ulong end = Transmit(slot, id, context.Get(AbiRegister.A1), (int)context.Get(AbiRegister.A2), out int result);
        if (result == ReceiverFull)
        {
            // The receiver's mailbox has no room now: the writer stays parked and tries again, as the hardware would stall it.
            events.Defer(now + RetryCycles, slot, tid);
            return;
        }

        threads.Wake(slot, tid, result, result < 0 ? now : end);
    }

    /// <summary>
    /// Copies a user message and puts it on the NoC; its arrival cycle, and its size, a negative errno, or
    /// <see cref="ReceiverFull"/>.
    /// </summary>
    [KernelHotPath]
    private ulong Transmit(int slot, int id, uint buffer, int size, out int result)
    {
        ref MailboxEntry entry = ref Entry(id);
        Span<byte> message = stackalloc byte[KernelConstants.MailboxHeaderBytes + maxMessage];
        message = message[..(KernelConstants.MailboxHeaderBytes + size)];
        MailboxHeader.Write(message, size, entry.Port, node);
        if (!procs.User(slot).CopyFrom(buffer, message[KernelConstants.MailboxHeaderBytes..]))
        {
            result = -Errno.EFAULT;
            return 0;
        }

        int transfer;
        try
        {
            IMailboxOutput output = outputs.To(entry.RemoteNode);
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
        return noc.Transfer(transfer).End;
    }

    private ref MailboxEntry Entry(int id) => ref table.At<MailboxEntry>(id);
}
