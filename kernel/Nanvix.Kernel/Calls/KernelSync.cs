using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Sync;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The sync family's entry (Nanvix: <c>kernel_mutex_*</c>, <c>kernel_semaphore_*</c>, <c>kernel_cond_*</c>): checks the
/// object a call names — in range and in use by the caller's process, else EINVAL — and an initial value not negative,
/// then hands <see cref="SyncObjects{TLayout}"/> the checked <see cref="EntryId{TEntry}"/>.
/// </summary>
[KernelHotPath]
internal sealed class KernelSync<TLayout>(SyncObjects<TLayout> objects)
    where TLayout : struct, IProcessLayout
{
    private static CallResult Invalid => CallResult.Error(Errno.EINVAL);

    public CallResult Serve(uint number, int slot, int tid, uint a0, uint a1, ulong now) => number switch
    {
        K.MutexCreate => objects.MutexCreate(slot),
        K.MutexLock => Mutex(slot, a0, out var mutex) ? objects.MutexLock(slot, tid, mutex) : Invalid,
        K.MutexUnlock => Mutex(slot, a0, out var mutex) ? objects.MutexUnlock(slot, tid, mutex, now) : Invalid,
        K.MutexDestroy => Mutex(slot, a0, out var mutex) ? objects.MutexDestroy(slot, mutex) : Invalid,
        K.SemaphoreCreate => (int)a0 >= 0 ? objects.SemaphoreCreate(slot, (int)a0) : Invalid,
        K.SemaphoreDown => Semaphore(slot, a0, out var semaphore) ? objects.SemaphoreDown(slot, tid, semaphore) : Invalid,
        K.SemaphoreUp => Semaphore(slot, a0, out var semaphore) ? objects.SemaphoreUp(slot, semaphore, now) : Invalid,
        K.SemaphoreDestroy => Semaphore(slot, a0, out var semaphore) ? objects.SemaphoreDestroy(slot, semaphore) : Invalid,
        K.ConditionCreate => objects.ConditionCreate(slot),
        K.ConditionWait => Condition(slot, a0, out var condition) && Mutex(slot, a1, out var mutex) ? objects.ConditionWait(slot, tid, condition, mutex, now) : Invalid,
        K.ConditionSignal => Condition(slot, a0, out var condition) ? objects.ConditionSignal(slot, condition, all: false, now) : Invalid,
        K.ConditionBroadcast => Condition(slot, a0, out var condition) ? objects.ConditionSignal(slot, condition, all: true, now) : Invalid,
        _ => Condition(slot, a0, out var condition) ? objects.ConditionDestroy(slot, condition) : Invalid,
    };

    private bool Mutex(int slot, uint id, out EntryId<MutexEntry> mutex)
    {
        mutex = new((int)id);
        return objects.IsMutex(slot, id);
    }

    private bool Semaphore(int slot, uint id, out EntryId<SemaphoreEntry> semaphore)
    {
        semaphore = new((int)id);
        return objects.IsSemaphore(slot, id);
    }

    private bool Condition(int slot, uint id, out EntryId<ConditionEntry> condition)
    {
        condition = new((int)id);
        return objects.IsCondition(slot, id);
    }
}
