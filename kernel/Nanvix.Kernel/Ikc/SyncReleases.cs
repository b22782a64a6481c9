using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Ikc;

/// <summary>The releases of a sync point's input — those its endpoint counted, those its process was told of — and the threads they wake.</summary>
internal sealed class SyncReleases<TLayout>(ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, IkcTable<TLayout> table, SyncEndpoints endpoints)
    where TLayout : struct, IProcessLayout
{
    private ref SyncEntry Entry(int id) => ref table.At<SyncEntry>(id);

    /// <summary>A release for input <paramref name="id"/>: one its process was told of, or one its own endpoint counted.</summary>
    public bool TryTake(int id)
    {
        ref SyncEntry entry = ref Entry(id);
        if (entry.Releases > 0)
        {
            entry.Releases--;
            return true;
        }

        return endpoints.Input(entry) is { } input && input.TryWait();
    }

    /// <summary>Wakes the threads that wait on input <paramref name="id"/>, one per release there is (none while its process is frozen).</summary>
    public void WakeWaiters(int id, ulong now)
    {
        int slot = procs.Table.SlotOf(Entry(id).OwnerPid);
        while (slot >= 0)
        {
            int waiter = threads.FirstWaiter(slot, WaitKind.SyncWait, id);
            if (waiter < 0 || !TryTake(id))
            {
                return;
            }

            threads.Wake(slot, waiter, 0, now);
        }
    }
}
