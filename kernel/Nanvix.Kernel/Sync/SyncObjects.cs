using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Sync;

/// <summary>
/// Kernel mutexes, semaphores and condition variables of a process. Waiters are the threads blocked on an object;
/// the one with the lowest ticket (the first to arrive) is woken first. Unlocking a mutex with waiters hands it to
/// the next waiter directly. The objects a call names come checked, in range and in use (<see cref="EntryId{TEntry}"/>,
/// from <c>Calls/KernelSync</c>); what can still fail here is the object's state (EDEADLK, EPERM, EBUSY) or room (EAGAIN).
/// </summary>
[KernelHotPath]
internal sealed class SyncObjects<TLayout>(KernelState<TLayout> state, ThreadManager<TLayout> threads)
    where TLayout : struct, IProcessLayout
{
    private const int NoOwner = -1;

    private KernelState<TLayout> State => state;

    /// <summary>True when <paramref name="id"/> names a mutex of process <paramref name="slot"/> in use.</summary>
    public bool IsMutex(int slot, uint id) => id < KernelConstants.MaxSyncObjects && State.Mutex(slot, (int)id).InUse != 0;

    /// <summary>True when <paramref name="id"/> names a semaphore of process <paramref name="slot"/> in use.</summary>
    public bool IsSemaphore(int slot, uint id) => id < KernelConstants.MaxSyncObjects && State.Semaphore(slot, (int)id).InUse != 0;

    /// <summary>True when <paramref name="id"/> names a condition of process <paramref name="slot"/> in use.</summary>
    public bool IsCondition(int slot, uint id) => id < KernelConstants.MaxSyncObjects && State.Condition(slot, (int)id).InUse != 0;

    public CallResult MutexCreate(int slot)
    {
        for (int id = 0; id < KernelConstants.MaxSyncObjects; id++)
        {
            ref MutexEntry mutex = ref State.Mutex(slot, id);
            if (mutex.InUse == 0)
            {
                mutex = ref State.Mutex(slot, id, write: true);
                mutex.InUse = 1;
                mutex.Owner = NoOwner;
                return CallResult.Done(id);
            }
        }

        return CallResult.Error(Errno.EAGAIN);
    }

    public CallResult MutexLock(int slot, int tid, EntryId<MutexEntry> id)
    {
        ref MutexEntry mutex = ref State.Mutex(slot, id.Index, write: true);
        if (mutex.Owner == tid)
        {
            return CallResult.Error(Errno.EDEADLK);
        }

        if (mutex.Owner == NoOwner)
        {
            mutex.Owner = tid;
            return CallResult.Done(0);
        }

        threads.Block(slot, tid, WaitKind.Mutex, id.Index);
        return CallResult.Blocked;
    }

    public CallResult MutexUnlock(int slot, int tid, EntryId<MutexEntry> id, ulong now)
    {
        if (State.Mutex(slot, id.Index).Owner != tid)
        {
            return CallResult.Error(Errno.EPERM);
        }

        Release(slot, id.Index, now);
        return CallResult.Done(0);
    }

    public CallResult MutexDestroy(int slot, EntryId<MutexEntry> id)
    {
        if (State.Mutex(slot, id.Index).Owner != NoOwner || threads.FirstWaiter(slot, WaitKind.Mutex, id.Index) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Mutex(slot, id.Index, write: true) = default;
        return CallResult.Done(0);
    }

    /// <summary>A semaphore of initial value <paramref name="value"/> (checked not negative).</summary>
    public CallResult SemaphoreCreate(int slot, int value)
    {
        for (int id = 0; id < KernelConstants.MaxSyncObjects; id++)
        {
            if (State.Semaphore(slot, id).InUse == 0)
            {
                ref SemaphoreEntry semaphore = ref State.Semaphore(slot, id, write: true);
                semaphore.InUse = 1;
                semaphore.Value = value;
                return CallResult.Done(id);
            }
        }

        return CallResult.Error(Errno.EAGAIN);
    }

    public CallResult SemaphoreDown(int slot, int tid, EntryId<SemaphoreEntry> id)
    {
        ref SemaphoreEntry semaphore = ref State.Semaphore(slot, id.Index, write: true);
        if (semaphore.Value > 0)
        {
            semaphore.Value--;
            return CallResult.Done(0);
        }

        threads.Block(slot, tid, WaitKind.Semaphore, id.Index);
        return CallResult.Blocked;
    }

    public CallResult SemaphoreUp(int slot, EntryId<SemaphoreEntry> id, ulong now)
    {
        int waiter = threads.FirstWaiter(slot, WaitKind.Semaphore, id.Index);
        if (waiter >= 0)
        {
            threads.Wake(slot, waiter, 0, now);
        }
        else
        {
            State.Semaphore(slot, id.Index, write: true).Value++;
        }

        return CallResult.Done(0);
    }

    public CallResult SemaphoreDestroy(int slot, EntryId<SemaphoreEntry> id)
    {
        if (threads.FirstWaiter(slot, WaitKind.Semaphore, id.Index) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Semaphore(slot, id.Index, write: true) = default;
        return CallResult.Done(0);
    }

    public CallResult ConditionCreate(int slot)
    {
        for (int id = 0; id < KernelConstants.MaxSyncObjects; id++)
        {
            if (State.Condition(slot, id).InUse == 0)
            {
                State.Condition(slot, id, write: true).InUse = 1;
                return CallResult.Done(id);
            }
        }

        return CallResult.Error(Errno.EAGAIN);
    }

    /// <summary>Releases the mutex and waits on the condition; the mutex is held again when the wait returns.</summary>
    public CallResult ConditionWait(int slot, int tid, EntryId<ConditionEntry> id, EntryId<MutexEntry> mutexId, ulong now)
    {
        if (State.Mutex(slot, mutexId.Index).Owner != tid)
        {
            return CallResult.Error(Errno.EPERM);
        }

        Release(slot, mutexId.Index, now);
        threads.Block(slot, tid, WaitKind.Condition, id.Index);
        State.Thread(slot, tid, write: true).WaitMutex = mutexId.Index;
        return CallResult.Blocked;
    }

    public CallResult ConditionSignal(int slot, EntryId<ConditionEntry> id, bool all, ulong now)
    {
        for (int waiter = threads.FirstWaiter(slot, WaitKind.Condition, id.Index); waiter >= 0; waiter = threads.FirstWaiter(slot, WaitKind.Condition, id.Index))
        {
            // The woken thread must take its mutex back before its wait returns: it gets it now if it is free,
            // otherwise it queues for it like any locker.
            int mutexId = State.Thread(slot, waiter).WaitMutex;
            ref MutexEntry mutex = ref State.Mutex(slot, mutexId, write: true);
            if (mutex.Owner == NoOwner)
            {
                mutex.Owner = waiter;
                threads.Wake(slot, waiter, 0, now);
            }
            else
            {
                threads.Block(slot, waiter, WaitKind.Mutex, mutexId);
            }

            if (!all)
            {
                break;
            }
        }

        return CallResult.Done(0);
    }

    public CallResult ConditionDestroy(int slot, EntryId<ConditionEntry> id)
    {
        if (threads.FirstWaiter(slot, WaitKind.Condition, id.Index) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Condition(slot, id.Index, write: true) = default;
        return CallResult.Done(0);
    }

    /// <summary>Gives the mutex to its first waiter, or frees it.</summary>
    private void Release(int slot, int id, ulong now)
    {
        int waiter = threads.FirstWaiter(slot, WaitKind.Mutex, id);
        State.Mutex(slot, id, write: true).Owner = waiter >= 0 ? waiter : NoOwner;
        if (waiter >= 0)
        {
            threads.Wake(slot, waiter, 0, now);
        }
    }
}
