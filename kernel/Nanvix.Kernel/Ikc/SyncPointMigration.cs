using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The sync points' part of a move: their images (releases not yet waited for included), the relays and forwards
/// they leave behind, going on after all, and taking them on the target (a relay or forward left there earlier is the
/// process's own entry again).
/// </summary>
internal sealed class SyncPointMigration<TLayout>(IkcTable<TLayout> table, int here, SyncEndpoints endpoints, SyncReleases<TLayout> releases, SyncRelay<TLayout> relay)
    where TLayout : struct, IProcessLayout
{
    private ref SyncEntry Entry(int id) => ref table.At<SyncEntry>(id);

    /// <summary>
    /// Takes the sync points of <paramref name="pid"/> out for a move: each entry, with the releases its endpoint counted
    /// and the process has not waited for yet. From now on, until the move is done or called off, what reaches them is
    /// counted here and, if the move is done, sent on.
    /// </summary>
    public List<SyncImage> Capture(int pid)
    {
        var images = new List<SyncImage>();
        for (int id = table.First<SyncEntry>(); id >= 0; id = table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind == 0 || entry.OwnerPid != pid || entry.Where >= 0)
            {
                continue;
            }

            while (endpoints.Input(entry) is { } input && input.TryWait())
            {
                entry.Releases++;
            }

            entry.Carried = entry.Releases;
            images.Add(new SyncImage(id, entry));
        }

        return images;
    }

    /// <summary>The process goes on here (a move called off, or done): its threads take the releases that came meanwhile.</summary>
    public void Resume(int pid, ulong now)
    {
        for (int id = table.First<SyncEntry>(); id >= 0; id = table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind != 0 && entry.OwnerPid == pid && entry.Where < 0)
            {
                entry.Carried = 0;
                releases.WakeWaiters(id, now);
            }
        }
    }

    /// <summary>
    /// The process moved to <paramref name="node"/> (its move <paramref name="move"/>): an entry at home becomes a relay, one
    /// elsewhere a forward, and what came during the move is sent on.
    /// </summary>
    public void LeaveBehind(int pid, int node, int move)
    {
        for (int id = table.First<SyncEntry>(); id >= 0; id = table.Next<SyncEntry>(id))
        {
            ref SyncEntry entry = ref Entry(id);
            if (entry.Kind == 0 || entry.OwnerPid != pid || entry.Where >= 0)
            {
                continue;
            }

            int came = entry.Releases - entry.Carried;
            entry.Releases = 0;
            entry.Carried = 0;
            entry.Where = node;
            entry.WhereMove = move;
            if (came > 0)
            {
                relay.Tell(node, SyncMessageKind.Release, pid, entry.Descriptor, came);
            }

            if (entry.Home == here)
            {
                relay.Relay(id);
            }

            // The relay or forward is the node's now (under UArea it leaves the User Area; the move was refused before
            // it started if the node had no entry for it, see NodeEntriesNeeded).
            table.ForNode(id);
        }
    }

    /// <summary>The node entries the sync points of <paramref name="pid"/> leave behind if it moves away: a relay or forward each.</summary>
    public int NodeEntriesNeeded(int pid)
    {
        int needed = 0;
        for (int id = table.First<SyncEntry>(); id >= 0; id = table.Next<SyncEntry>(id))
        {
            needed += Entry(id).OwnerPid == pid && Entry(id).Where < 0 ? 1 : 0;
        }

        return needed;
    }

    /// <summary>How many of <paramref name="images"/> of process <paramref name="pid"/> take back an entry they left here (a relay or forward).</summary>
    public int Reused(int pid, IReadOnlyList<SyncImage> images)
    {
        int reused = 0;
        foreach (SyncImage image in images)
        {
            reused += table.Find<SyncEntry>(pid, image.Entry.Descriptor) >= 0 ? 1 : 0;
        }

        return reused;
    }

    /// <summary>
    /// Takes the sync points of a process that moved here (its move <paramref name="move"/>); returns the new index of each
    /// image, in order. A relay or forward it left here earlier is its own entry again; home hears where it is now.
    /// </summary>
    public int[] Adopt(int slot, int pid, int move, IReadOnlyList<SyncImage> images)
    {
        var indices = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            SyncImage image = images[i];
            int id = table.Find<SyncEntry>(pid, image.Entry.Descriptor);
            id = id >= 0 ? table.ForProcess(id, slot) : table.Free(slot);
            indices[i] = id;
            ref SyncEntry entry = ref Entry(id);
            bool left = entry.Kind != 0;
            int relayed = left ? entry.Releases : 0;
            int handle = entry.Handle;
            entry = image.Entry;
            entry.Releases += relayed;
            if (left && entry.Home == here)
            {
                // Back home: the relay's endpoint is the entry's again.
                entry.Handle = handle;
            }

            entry.Where = -1;
            entry.WhereMove = 0;
            entry.Carried = 0;
            if (entry.Home != here)
            {
                relay.Tell(entry.Home, SyncMessageKind.Moved, pid, entry.Descriptor, here, move);
            }
        }

        return indices;
    }
}
