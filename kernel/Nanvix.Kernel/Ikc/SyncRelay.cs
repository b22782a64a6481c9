using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The kernel messages (<see cref="SyncMessage"/>) between a sync point's home, whose entry relays once its process has
/// moved, and the process elsewhere: releases sent on to where the process is, signals and closes asked of home,
/// and where the process went after each move.
/// </summary>
internal sealed class SyncRelay<TLayout>(Mailboxes<TLayout> mailboxes, IkcTable<TLayout> table, int here, SyncEndpoints endpoints, SyncReleases<TLayout> inputs)
    where TLayout : struct, IProcessLayout
{
    private ref SyncEntry Entry(int id) => ref table.At<SyncEntry>(id);

    /// <summary>A relay sends the releases its endpoint counted to where its process is now.</summary>
    public void Relay(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        int releases = 0;
        while (endpoints.Input(entry) is { } input && input.TryWait())
        {
            releases++;
        }

        if (releases > 0)
        {
            Tell(entry.Where, SyncMessageKind.Release, entry.OwnerPid, entry.Descriptor, releases);
        }
    }

    /// <summary>Takes a <see cref="SyncMessage"/> that reached the kernel's port.</summary>
    public void OnMessage(ReadOnlySpan<byte> body, ulong now)
    {
        (SyncMessageKind kind, int pid, int descriptor, int value, int move) = SyncMessage.Read(body);
        int id = table.Find<SyncEntry>(pid, descriptor);
        if (id < 0)
        {
            // The sync point was closed, or its process ended: nothing to do.
            return;
        }

        ref SyncEntry entry = ref Entry(id);
        switch (kind)
        {
            case SyncMessageKind.Release when entry.Where >= 0:
                // The process passed through here and is elsewhere now: send it on.
                Tell(entry.Where, SyncMessageKind.Release, pid, descriptor, value);
                break;
            case SyncMessageKind.Release:
                entry.Releases += value;
                inputs.WakeWaiters(id, now);
                break;
            case SyncMessageKind.Signal when entry.Home == here:
                endpoints.Output(entry)?.Signal();
                break;
            case SyncMessageKind.Moved when entry.Home == here && entry.Where >= 0 && move > entry.WhereMove:
                entry.Where = value;
                entry.WhereMove = move;
                break;
            case SyncMessageKind.Close when entry.Home == here && entry.Where >= 0:
                endpoints.Close(entry.Handle);
                entry = default;
                break;
        }
    }

    public void Tell(int node, SyncMessageKind kind, int pid, int descriptor, int value, int move = 0)
    {
        Span<byte> body = stackalloc byte[SyncMessage.Bytes];
        SyncMessage.Write(body, kind, pid, descriptor, value, move);
        mailboxes.SendRaw(node, KernelConstants.KernelPort, body);
    }
}
