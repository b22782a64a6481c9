using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// Which entry holds a mailbox port on this node, and the forward entries: what an input becomes when its process
/// moves away, so that messages for the port are sent on to the process's new node (keeping the port's stamp count),
/// until the process ends or listens on the port here again.
/// </summary>
internal sealed class MailboxForwards<TLayout>(IkcTable<TLayout> table)
    where TLayout : struct, IProcessLayout
{
    private ref MailboxEntry Entry(int id) => ref table.At<MailboxEntry>(id);

    /// <summary>The input on <paramref name="port"/>, or -1.</summary>
    [KernelHotPath]
    public int InputOf(int port) => Holder(port, MailboxKind.Input);

    /// <summary>The forward entry of <paramref name="port"/>, or -1.</summary>
    [KernelHotPath]
    public int ForwardOf(int port) => Holder(port, MailboxKind.Forward);

    /// <summary>
    /// True when <paramref name="port"/> is taken for process <paramref name="pid"/>: by an input, or by the forward entry
    /// of another process that moved away and still gets messages sent on from here. <paramref name="forward"/> is the
    /// port's forward entry, or -1.
    /// </summary>
    public bool IsTaken(int port, int pid, out int forward)
    {
        forward = ForwardOf(port);
        return InputOf(port) >= 0 || (forward >= 0 && Entry(forward).OwnerPid != pid);
    }

    /// <summary>
    /// An input takes its port over from forward entry <paramref name="forward"/> (-1: none), which is freed: the stamp
    /// count it continues from, the forward's, or <paramref name="stamp"/> without one.
    /// </summary>
    public int TakeOver(int forward, int stamp)
    {
        if (forward >= 0)
        {
            stamp = Entry(forward).NextStamp;
            Entry(forward) = default;
        }

        return stamp;
    }

    /// <summary>
    /// Input <paramref name="id"/> of process <paramref name="pid"/> (its pages freed already) becomes a forward entry to
    /// <paramref name="target"/>, keeping its port and stamp count.
    /// </summary>
    public void BecomeForward(int id, int pid, int target)
    {
        ref MailboxEntry entry = ref Entry(id);
        int port = entry.Port;
        int stamp = entry.NextStamp;
        entry = default;
        entry.Kind = MailboxKind.Forward;
        entry.OwnerPid = pid;
        entry.Port = port;
        entry.RemoteNode = target;
        entry.NextStamp = stamp;

        // The forward is the node's now, no longer the process's (under UArea it leaves the User Area; the move was
        // refused before it started if the node had no entry for it, see NodeEntriesNeeded).
        table.ForNode(id);
    }

    /// <summary>Drops the forward entries of a process that ended (wherever it ended).</summary>
    public void ForgetForwards(int pid)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == MailboxKind.Forward && Entry(id).OwnerPid == pid)
            {
                Entry(id) = default;
            }
        }
    }

    [KernelHotPath]
    private int Holder(int port, MailboxKind kind)
    {
        for (int id = table.First<MailboxEntry>(); id >= 0; id = table.Next<MailboxEntry>(id))
        {
            if (Entry(id).Kind == kind && Entry(id).Port == port)
            {
                return id;
            }
        }

        return -1;
    }
}
