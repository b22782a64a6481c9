using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// What a process that moved away leaves of its portals on this node (<see cref="PortalEntry.LeftInput"/>,
/// <see cref="PortalEntry.LeftOutput"/>): the hardware matches transfers by node alone, so while the process lives no
/// other process here may pair with the node its portal paired with, until its peer there has followed it.
/// </summary>
internal sealed class PortalLeftBehind<TLayout>(IkcTable<TLayout> table)
    where TLayout : struct, IProcessLayout
{
    private ref PortalEntry Entry(int id) => ref table.At<PortalEntry>(id);

    /// <summary>
    /// EBUSY when a process other than <paramref name="pid"/> that moved away left a portal of kind <paramref name="left"/>
    /// towards <paramref name="node"/> here: until its peer there has followed it, the hardware would match that peer's
    /// transfers with this node's by node alone, so no one else here may pair with that node while it lives; else null.
    /// </summary>
    public CallResult? HeldFor(int left, int node, int pid)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            if (Entry(id).Kind == left && Entry(id).Remote == node && Entry(id).OwnerPid != pid)
            {
                return CallResult.Error(Errno.EBUSY);
            }
        }

        return null;
    }

    /// <summary>
    /// The process moved away: each of its portals that pairs with a node leaves an entry that keeps that node's
    /// transfers from matching another process here (<see cref="PortalEntry.LeftInput"/>, <see cref="PortalEntry.LeftOutput"/>).
    /// </summary>
    public void LeaveBehind(int pid)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (!entry.IsLive || entry.OwnerPid != pid || entry.Remote < 0)
            {
                continue;
            }

            int kind = PortalEntry.LeftBy(entry.Kind);
            int remote = entry.Remote;
            int port = entry.Port;
            entry = default;
            entry.Kind = kind;
            entry.OwnerPid = pid;
            entry.Port = port;
            entry.Remote = remote;
            table.ForNode(id);
        }
    }

    /// <summary>The node entries the portals of <paramref name="pid"/> leave behind if it moves away.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            needed += Entry(id).IsLive && Entry(id).OwnerPid == pid && Entry(id).Remote >= 0 ? 1 : 0;
        }

        return needed;
    }

    /// <summary>Drops what process <paramref name="pid"/> left here (it ended, or it is back).</summary>
    public void ForgetForwards(int pid)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            if (!Entry(id).IsLive && Entry(id).OwnerPid == pid)
            {
                Entry(id) = default;
            }
        }
    }
}
