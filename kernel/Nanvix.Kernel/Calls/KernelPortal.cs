using Nanvix.Hal.Noc;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The portal family's entry (Nanvix: <c>kernel_portal_*</c>): checks ports and nodes (another node than this one:
/// EINVAL), that a descriptor is the caller's and of the kind the call needs (EBADF; EINVAL for allow, as Nanvix), that
/// an input has a node allowed and a posted operation may start or be waited for (EINVAL, EBUSY) and that a size fits
/// (EMSGSIZE), then hands <see cref="Portals{TLayout}"/> the checked entry. A blocking transfer of 0 bytes is done at
/// once. User buffers are checked where the transfer gathers or scatters them (EFAULT then).
/// </summary>
[KernelHotPath]
internal sealed class KernelPortal<TLayout>(Portals<TLayout> portals, IkcTable<TLayout> table, NocTopology topology, int node)
    where TLayout : struct, IProcessLayout
{
    private static CallResult BadDescriptor => CallResult.Error(Errno.EBADF);

    private static CallResult Invalid => CallResult.Error(Errno.EINVAL);

    private static CallResult TooLong => CallResult.Error(Errno.EMSGSIZE);

    public CallResult Serve(uint number, int slot, int tid, int pid, uint a0, uint a1, uint a2, ulong now)
    {
        switch (number)
        {
            case K.PortalCreate:
                return a0 >= KernelConstants.MailboxPorts ? Invalid : portals.Create(pid, (int)a0);
            case K.PortalAllow:
                return !Find(pid, a0, PortalEntry.Input, out var allowed) || !IsRemote(a1) ? Invalid : portals.Allow(pid, allowed, (int)a1);
            case K.PortalOpen:
                return !IsRemote(a0) || a1 >= KernelConstants.MailboxPorts ? Invalid : portals.Open(pid, (int)a0, (int)a1);
            case K.PortalRead or K.PortalWrite:
                bool read = number == K.PortalRead;
                return !Find(pid, a0, read ? PortalEntry.Input : PortalEntry.Output, out var moved) ? BadDescriptor
                    : read && Entry(moved).Remote < 0 ? Invalid
                    : a2 == 0 ? CallResult.Done(0)
                    : a2 > Portals<TLayout>.MaxBytes ? TooLong
                    : portals.Transfer(slot, tid, moved, read, now);
            case K.PortalAread or K.PortalAwrite:
                bool posted = number == K.PortalAread;
                return !Find(pid, a0, posted ? PortalEntry.Input : PortalEntry.Output, out var portal) ? BadDescriptor
                    : Entry(portal).Pending != AsyncOperation.None ? CallResult.Error(Errno.EBUSY)
                    : (posted && Entry(portal).Remote < 0) || a2 == 0 ? Invalid
                    : a2 > Portals<TLayout>.MaxBytes ? TooLong
                    : portals.Post(portal, a1, a2, posted, now);
            case K.PortalWait:
                return !Find(pid, a0, out var waited) ? BadDescriptor
                    : Entry(waited).Pending == AsyncOperation.None ? Invalid
                    : portals.Wait(slot, tid, waited);
            default:
                return Find(pid, a0, out var closed) ? portals.Close(closed, now) : BadDescriptor;
        }
    }

    /// <summary>True for a node of the NoC other than this one (a portal pairs two nodes).</summary>
    private bool IsRemote(uint other) => topology.IsValidNode((int)other) && (int)other != node;

    private ref PortalEntry Entry(EntryId<PortalEntry> id) => ref table.At<PortalEntry>(id.Index);

    /// <summary>The entry of the caller's descriptor <paramref name="descriptor"/> (an input or an output).</summary>
    private bool Find(int pid, uint descriptor, out EntryId<PortalEntry> id)
    {
        id = new(table.Find<PortalEntry>(pid, (int)descriptor));
        return id.Index >= 0;
    }

    private bool Find(int pid, uint descriptor, int kind, out EntryId<PortalEntry> id) =>
        Find(pid, descriptor, out id) && Entry(id).Kind == kind;
}
