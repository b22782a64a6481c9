using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Sync;

/// <summary>
/// Kernel mutexes, semaphores and condition variables of a process. Waiters are the threads blocked on an object;
/// the one with the lowest ticket (the first to arrive) is woken first. Unlocking a mutex with waiters hands it to
/// the next waiter directly.
/// </summary>
[KernelHotPath]
internal sealed class SyncCalls<TLayout>(KernelState<TLayout> state, ThreadManager<TLayout> threads)
    where TLayout : struct, IProcessLayout
{
    private const int NoOwner = -1;

    private KernelState<TLayout> State => state;

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

    public CallResult MutexLock(int slot, int tid, int id)
    {
        if (!IsMutex(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        ref MutexEntry mutex = ref State.Mutex(slot, id, write: true);
        if (mutex.Owner == tid)
        {
            return CallResult.Error(Errno.EDEADLK);
        }

        if (mutex.Owner == NoOwner)
        {
            mutex.Owner = tid;
            return CallResult.Done(0);
        }

        threads.Block(slot, tid, WaitKind.Mutex, id);
        return CallResult.Blocked;
    }

    public CallResult MutexUnlock(int slot, int tid, int id, ulong now)
    {
        if (!IsMutex(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (State.Mutex(slot, id).Owner != tid)
        {
            return CallResult.Error(Errno.EPERM);
        }

        Release(slot, id, now);
        return CallResult.Done(0);
    }

    public CallResult MutexDestroy(int slot, int id)
    {
        if (!IsMutex(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (State.Mutex(slot, id).Owner != NoOwner || threads.FirstWaiter(slot, WaitKind.Mutex, id) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Mutex(slot, id, write: true) = default;
        return CallResult.Done(0);
    }

    public CallResult SemaphoreCreate(int slot, int value)
    {
        if (value < 0)
        {
            return CallResult.Error(Errno.EINVAL);
        }

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

    public CallResult SemaphoreDown(int slot, int tid, int id)
    {
        if (!IsSemaphore(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        ref SemaphoreEntry semaphore = ref State.Semaphore(slot, id, write: true);
        if (semaphore.Value > 0)
        {
            semaphore.Value--;
            return CallResult.Done(0);
        }

        threads.Block(slot, tid, WaitKind.Semaphore, id);
        return CallResult.Blocked;
    }

    public CallResult SemaphoreUp(int slot, int id, ulong now)
    {
        if (!IsSemaphore(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        int waiter = threads.FirstWaiter(slot, WaitKind.Semaphore, id);
        if (waiter >= 0)
        {
            threads.Wake(slot, waiter, 0, now);
        }
        else
        {
            State.Semaphore(slot, id, write: true).Value++;
        }

        return CallResult.Done(0);
    }

    public CallResult SemaphoreDestroy(int slot, int id)
    {
        if (!IsSemaphore(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (threads.FirstWaiter(slot, WaitKind.Semaphore, id) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Semaphore(slot, id, write: true) = default;
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
    public CallResult ConditionWait(int slot, int tid, int id, int mutexId, ulong now)
    {
        if (!IsCondition(slot, id) || !IsMutex(slot, mutexId))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (State.Mutex(slot, mutexId).Owner != tid)
        {
            return CallResult.Error(Errno.EPERM);
        }

        Release(slot, mutexId, now);
        threads.Block(slot, tid, WaitKind.Condition, id);
        State.Thread(slot, tid, write: true).WaitMutex = mutexId;
        return CallResult.Blocked;
    }

    public CallResult ConditionSignal(int slot, int id, bool all, ulong now)
    {
        if (!IsCondition(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        for (int waiter = threads.FirstWaiter(slot, WaitKind.Condition, id); waiter >= 0; waiter = threads.FirstWaiter(slot, WaitKind.Condition, id))
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

    public CallResult ConditionDestroy(int slot, int id)
    {
        if (!IsCondition(slot, id))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (threads.FirstWaiter(slot, WaitKind.Condition, id) >= 0)
        {
            return CallResult.Error(Errno.EBUSY);
        }

        State.Condition(slot, id, write: true) = default;
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

    private bool IsMutex(int slot, int id) => (uint)id < KernelConstants.MaxSyncObjects && State.Mutex(slot, id).InUse != 0;

    private bool IsSemaphore(int slot, int id) => (uint)id < KernelConstants.MaxSyncObjects && State.Semaphore(slot, id).InUse != 0;

    private bool IsCondition(int slot, int id) => (uint)id < KernelConstants.MaxSyncObjects && State.Condition(slot, id).InUse != 0;
}
