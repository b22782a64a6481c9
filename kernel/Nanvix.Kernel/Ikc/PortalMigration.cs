using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The portals' part of a move: on the source, whether the process can go to a node and its portals' images (what the
/// hardware held for them taken back); on the target, whether it can take them, and taking them; and on every node,
/// the portals that paired with a process that moved following it to its new node (<see cref="PeerMoved"/>).
/// </summary>
internal sealed class PortalMigration<TLayout>(IkcTable<TLayout> table, int node, PortalTransfers<TLayout> transfers, PortalLeftBehind<TLayout> left)
    where TLayout : struct, IProcessLayout
{
    private ref PortalEntry Entry(int id) => ref table.At<PortalEntry>(id);

    /// <summary>
    /// Takes the portals of <paramref name="pid"/> out for a move: a read armed for it is taken back from the hardware
    /// and writes of its still waiting for their reader are withdrawn — blocking ones (their threads stay parked, to
    /// start again on the target) and posted ones alike. Null with the reason, and nothing changed, while a transfer
    /// of its is on the wires.
    /// </summary>
    public List<PortalImage>? Capture(int pid, ulong now, out string? unsettled)
    {
        if (!transfers.TakeBack(pid, now, out unsettled))
        {
            return null;
        }

        var images = new List<PortalImage>();
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (entry.IsLive && entry.OwnerPid == pid)
            {
                if (entry.PendingDone == 0)
                {
                    // Taken back, or never started: it starts again on the target.
                    entry.PendingStarted = 0;
                }

                images.Add(new PortalImage(id, entry));
            }
        }

        unsettled = null;
        return images;
    }

    /// <summary>
    /// Why process <paramref name="pid"/> can never move to NoC node <paramref name="target"/>: one of its portals pairs
    /// with that node, and a portal does not connect a node to itself. Null when it can.
    /// </summary>
    public string? CannotMoveTo(int pid, int target)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            if (Entry(id).IsLive && Entry(id).OwnerPid == pid && Entry(id).Remote == target)
            {
                return $"its portal {Entry(id).Descriptor} pairs with node {target}, and a portal does not connect a node to itself";
            }
        }

        return null;
    }

    /// <summary>
    /// Why this node cannot take the portals <paramref name="images"/> of process <paramref name="pid"/> coming from node
    /// <paramref name="source"/>, or null: it would pair with a process here (a portal does not connect a node to
    /// itself). Room in the table is asked of the table.
    /// </summary>
    public string? CannotAdopt(int pid, int source, IReadOnlyList<PortalImage> images)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);

            // What another process that moved away left here keeps its peer's node from this one's portals of that kind.
            if (!entry.IsLive)
            {
                foreach (PortalImage image in images)
                {
                    if (entry.OwnerPid != pid && image.Entry.Remote >= 0 && image.Entry.Remote == entry.Remote && PortalEntry.LeftBy(image.Entry.Kind) == entry.Kind)
                    {
                        return $"node {node} keeps node {entry.Remote}'s portal for process {entry.OwnerPid}, which left";
                    }
                }

                continue;
            }

            // A process here that reads from or writes to the node the process leaves, on the port of one of its
            // portals of the other kind, is its peer.
            foreach (PortalImage image in images)
            {
                if (entry.OwnerPid != pid && entry.Remote == source && entry.Kind != image.Entry.Kind && entry.Port == image.Entry.Port)
                {
                    return $"portal {image.Entry.Descriptor} pairs with process {entry.OwnerPid} here; a portal does not connect a node to itself";
                }
            }
        }

        foreach (PortalImage image in images)
        {
            if (image.Entry.Remote == node)
            {
                return $"portal {image.Entry.Descriptor} pairs with this node; a portal does not connect a node to itself";
            }
        }

        return null;
    }

    /// <summary>Takes the portals of a process that moved here (checked by <see cref="CannotAdopt"/>); returns the new index of each image, in order.</summary>
    public int[] Adopt(int slot, int pid, IReadOnlyList<PortalImage> images)
    {
        // Back where it left portals: what it left here gives way to the portals it brings.
        left.ForgetForwards(pid);
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            int id = table.Free(slot);
            indices[i] = id;
            Entry(id) = images[i].Entry;
        }

        return indices;
    }

    /// <summary>
    /// Process <paramref name="pid"/> moved (its move number <paramref name="move"/>) from node <paramref name="from"/>
    /// to node <paramref name="to"/> with the portals <paramref name="moved"/> (input or output, port, remote). The portals
    /// here that pair with it — inputs on the port of one of its outputs, outputs on the port of one of its inputs, that
    /// point at either node and follow no other process — now point at <paramref name="to"/>, unless they followed a
    /// later move of it already (notices may come twice, or late); a read armed for, or a write waiting at, the old
    /// node is taken back and started again.
    /// </summary>
    public void PeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now)
    {
        for (int id = table.First<PortalEntry>(); id >= 0; id = table.Next<PortalEntry>(id))
        {
            ref PortalEntry entry = ref Entry(id);
            if (!entry.IsLive || entry.OwnerPid == pid || (entry.Remote != from && entry.Remote != to)
                || (entry.PeerPid != 0 && entry.PeerPid != pid) || (entry.PeerPid == pid && move <= entry.PeerMove) || !Pairs(entry, moved))
            {
                continue;
            }

            entry.PeerPid = pid;
            entry.PeerMove = move;
            int old = entry.Remote;
            if (old == to)
            {
                continue;
            }

            entry.Remote = to;
            transfers.Repoint(id, entry.Kind == PortalEntry.Input, old, to, now);
        }
    }

    private static bool Pairs(in PortalEntry entry, ReadOnlySpan<(bool Input, int Port, int Remote)> moved)
    {
        foreach ((bool input, int port, _) in moved)
        {
            // An input here (reading from the old node) pairs with an output there on its port; an output here (writing to
            // the old node) with an input there on its port. Where that output of the moved process pointed does not
            // matter: it may not have heard yet that this node's own process moved.
            if (input != (entry.Kind == PortalEntry.Input) && port == entry.Port)
            {
                return true;
            }
        }

        return false;
    }
}
