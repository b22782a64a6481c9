using System.Buffers.Binary;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The sync point family's entry (Nanvix: <c>kernel_sync_*</c>): for create and open, checks the node count (2 to
/// <see cref="SyncEntry.MaxNodes"/>) and the mode (0 one-to-all, 1 all-to-one: EINVAL) and reads the node list from the
/// caller (EFAULT); for the others, that the descriptor is the caller's own entry here (not a relay it left behind) and
/// of the kind the call needs (EBADF). <see cref="SyncPoints{TLayout}"/> gets the list or the checked entry.
/// </summary>
internal sealed class KernelSyncPoint<TLayout>(SyncPoints<TLayout> points, IkcTable<TLayout> table, ProcessManager<TLayout> procs)
    where TLayout : struct, IProcessLayout
{
    private static CallResult BadDescriptor => CallResult.Error(Errno.EBADF);

    public CallResult Serve(uint number, int slot, int tid, int pid, uint a0, uint a1, uint a2, ulong now) => number switch
    {
        K.SyncCreate => Create(slot, pid, a0, a1, a2, input: true),
        K.SyncOpen => Create(slot, pid, a0, a1, a2, input: false),
        K.SyncWait => Find(pid, a0, SyncEntry.Input, out var input) ? points.Wait(slot, tid, input) : BadDescriptor,
        K.SyncSignal => Find(pid, a0, SyncEntry.Output, out var output) ? points.Signal(slot, tid, output, now) : BadDescriptor,
        _ => Find(pid, a0, out var closed) ? points.Close(closed) : BadDescriptor,
    };

    private CallResult Create(int slot, int pid, uint nodes, uint count, uint mode, bool input)
    {
        if (count < 2 || count > SyncEntry.MaxNodes || mode > 1)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        Span<byte> raw = stackalloc byte[(int)count * 4];
        if (!procs.User(slot).CopyFrom(nodes, raw))
        {
            return CallResult.Error(Errno.EFAULT);
        }

        Span<int> list = stackalloc int[(int)count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
        }

        return points.Create(slot, pid, list, mode == 0 ? SyncMode.OneToAll : SyncMode.AllToOne, input);
    }

    /// <summary>The process's own entry of descriptor <paramref name="descriptor"/> here (not a relay or forward it left).</summary>
    private bool Find(int pid, uint descriptor, out EntryId<SyncEntry> id)
    {
        id = new(table.Find<SyncEntry>(pid, (int)descriptor));
        return id.Index >= 0 && table.At<SyncEntry>(id.Index).Where < 0;
    }

    private bool Find(int pid, uint descriptor, int kind, out EntryId<SyncEntry> id) =>
        Find(pid, descriptor, out id) && table.At<SyncEntry>(id.Index).Kind == kind;
}
