using System.Buffers.Binary;
using Nanvix.Arch.Core;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Answers whoever waits on a mailbox: the thread blocked reading an input, or the posted read or write of a
/// descriptor and the thread waiting for it. A message is copied from an input's queue to the user here.
/// </summary>
internal sealed class MailboxWaiters<TLayout>(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, IkcTable<TLayout> table, MailboxQueue queue)
    where TLayout : struct, IProcessLayout
{
    private ref MailboxEntry Entry(int id) => ref table.At<MailboxEntry>(id);

    /// <summary>Copies the oldest queued message of input <paramref name="id"/> to the user; its length, or a negative errno.</summary>
    [KernelHotPath]
    public int Deliver(int slot, int id, uint buffer, uint size)
    {
        ref MailboxEntry entry = ref Entry(id);
        Span<byte> head = queue.Oldest(entry);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(head);
        if (size < (uint)length)
        {
            return -Errno.EMSGSIZE;
        }

        if (!procs.User(slot).CopyTo(buffer, head.Slice(KernelConstants.MailboxHeaderBytes, length)))
        {
            return -Errno.EFAULT;
        }

        queue.Dequeue(ref entry);
        return length;
    }

    /// <summary>Input <paramref name="id"/> has a message: it goes to its posted read, or to the reader that has waited longest.</summary>
    [KernelHotPath]
    public void WakeReader(int id, ulong now)
    {
        int pid = Entry(id).OwnerPid;
        int slot = procs.Table.SlotOf(pid);
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

        int reader = threads.FirstWaiter(slot, WaitKind.MailboxRead, id);
        if (reader >= 0)
        {
            ref RegisterContext context = ref threads.Context(slot, reader);
            int result = Deliver(slot, id, context.Get(AbiRegister.A1), context.Get(AbiRegister.A2));
            threads.Wake(slot, reader, result, now);
        }
    }

    /// <summary>Ends the pending operation of <paramref name="id"/> with <paramref name="result"/> and wakes whoever waits.</summary>
    public void Complete(int id, int result, ulong now)
    {
        ref MailboxEntry entry = ref Entry(id);
        entry.PendingDone = 1;
        entry.PendingResult = result;
        int slot = procs.Table.SlotOf(entry.OwnerPid);
        int waiter = slot < 0 ? -1 : threads.FirstWaiter(slot, WaitKind.MailboxAsync, id);
        if (waiter >= 0)
        {
            entry.Pending = AsyncOperation.None;
            threads.Wake(slot, waiter, result, now);
        }
    }
}
