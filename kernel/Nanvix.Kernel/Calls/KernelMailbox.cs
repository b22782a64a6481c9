using Nanvix.Hal.Noc;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The mailbox family's entry (Nanvix: <c>kernel_mailbox_*</c>): checks ports and nodes (EINVAL), that a descriptor is
/// the caller's and of the kind the call needs (EBADF), that a posted operation may start or be waited for (EBUSY,
/// EINVAL) and that a message fits (EMSGSIZE), in that order, then hands <see cref="Mailboxes{TLayout}"/> the checked
/// entry. User buffers are checked where they are copied, when a message leaves or arrives (EFAULT then).
/// </summary>
[KernelHotPath]
internal sealed class KernelMailbox<TLayout>(Mailboxes<TLayout> mailboxes, IkcTable<TLayout> table, NocTopology topology)
    where TLayout : struct, IProcessLayout
{
    private static CallResult BadDescriptor => CallResult.Error(Errno.EBADF);

    private static CallResult Invalid => CallResult.Error(Errno.EINVAL);

    public CallResult Serve(uint number, int slot, int tid, int pid, uint a0, uint a1, uint a2, ulong now)
    {
        switch (number)
        {
            case K.MailboxCreate:
                return a0 >= KernelConstants.MailboxPorts || a0 == KernelConstants.KernelPort ? Invalid : mailboxes.Create(pid, (int)a0);
            case K.MailboxOpen:
                return !topology.IsValidNode((int)a0) || a1 >= KernelConstants.MailboxPorts ? Invalid : mailboxes.Open(pid, (int)a0, (int)a1);
            case K.MailboxRead:
                return Find(pid, a0, MailboxKind.Input, out var input) ? mailboxes.Read(slot, tid, input, a1, a2) : BadDescriptor;
            case K.MailboxWrite:
                return !Find(pid, a0, MailboxKind.Output, out var output) ? BadDescriptor
                    : a2 > (uint)mailboxes.MaxMessage ? CallResult.Error(Errno.EMSGSIZE)
                    : mailboxes.Write(slot, tid, output, now);
            case K.MailboxAwrite or K.MailboxAread:
                bool write = number == K.MailboxAwrite;
                return !Find(pid, a0, write ? MailboxKind.Output : MailboxKind.Input, out var posted) ? BadDescriptor
                    : Entry(posted).Pending != AsyncOperation.None ? CallResult.Error(Errno.EBUSY)
                    : write && a2 > (uint)mailboxes.MaxMessage ? CallResult.Error(Errno.EMSGSIZE)
                    : mailboxes.Post(pid, posted, a1, a2, write, now);
            case K.MailboxWait:
                return !Find(pid, a0, out var waited) ? BadDescriptor
                    : Entry(waited).Pending == AsyncOperation.None ? Invalid
                    : mailboxes.Wait(slot, tid, waited);
            default:
                return Find(pid, a0, out var closed) ? mailboxes.Close(closed) : BadDescriptor;
        }
    }

    private ref MailboxEntry Entry(EntryId<MailboxEntry> id) => ref table.At<MailboxEntry>(id.Index);

    /// <summary>The entry of the caller's descriptor <paramref name="descriptor"/> (an input or an output).</summary>
    private bool Find(int pid, uint descriptor, out EntryId<MailboxEntry> id)
    {
        id = new(table.Find<MailboxEntry>(pid, (int)descriptor));
        return id.Index >= 0;
    }

    private bool Find(int pid, uint descriptor, MailboxKind kind, out EntryId<MailboxEntry> id) =>
        Find(pid, descriptor, out id) && Entry(id).Kind == kind;
}
