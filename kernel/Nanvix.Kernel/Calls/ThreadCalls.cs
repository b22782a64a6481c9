using Nanvix.Arch.Core;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The thread subsystem: create, exit, join, sleep and wake-up, over the thread table, join conditions, return
/// values and stack pointers of the process (wherever the layout puts them). Every thread has a 4 KB user stack
/// (the main thread 8 KB) with an unmapped guard page below, and a 4 KB kernel stack page holding its context.
/// </summary>
[KernelHotPath]
internal sealed class ThreadCalls<TLayout>(
    KernelState<TLayout> state, ThreadManager<TLayout> threads, ProcessManager<TLayout> procs, Scheduler<TLayout> scheduler, KernelCores cores, PageAllocator kernelPages)
    where TLayout : struct, IProcessLayout
{
    private KernelState<TLayout> State => state;

    /// <summary>Top of the user stack of thread <paramref name="tid"/> (1..17): below the main stack, one guard page apart (<see cref="UserAddressMap"/>).</summary>
    public static uint StackTop(int tid) => UserAddressMap.StackTop(tid);

    public CallResult Create(int slot, uint entry, uint arg0, uint arg1, ulong now)
    {
        int tid = -1;
        for (int t = 1; t < KernelConstants.MaxThreads; t++)
        {
            if (State.Thread(slot, t).State == ThreadStatus.Free)
            {
                tid = t;
                break;
            }
        }

        if (tid < 0)
        {
            return CallResult.Error(Errno.EAGAIN);
        }

        if (!kernelPages.TryAllocate(out uint kernelStack))
        {
            return CallResult.Error(Errno.ENOMEM);
        }

        AddressSpace space = procs.Space(slot);
        uint top = StackTop(tid);

        // MapRange maps the whole stack or nothing; the stack region holds nothing else (the loader keeps segments
        // out of it, brk stops below it), so only a lack of frames makes it fail.
        if (space.MapRange(UserAddressMap.StackBottom(tid), top, PagePermissions.ReadWrite) != MapResult.Mapped)
        {
            kernelPages.Free(kernelStack);
            cores.FlushTlbs();
            return CallResult.Error(Errno.ENOMEM);
        }

        int core = scheduler.LeastLoadedCore();
        threads.Start(slot, tid, core, kernelStack, top, entry, top, arg0, arg1, now + KernelConstants.SysboardReplyCycles);
        return CallResult.Done(tid);
    }

    /// <summary>Ends thread <paramref name="tid"/> with <paramref name="value"/>; the last thread ends the process.</summary>
    public CallResult Exit(int slot, int tid, uint value, ulong now)
    {
        State.Return(slot, tid, write: true).Value = value;
        ref ThreadStacks stacks = ref State.Stacks(slot, tid, write: true);
        if (tid != 0)
        {
            AddressSpace space = procs.Space(slot);
            for (uint page = stacks.UserStackTop - KernelConstants.ThreadStackBytes; page < stacks.UserStackTop; page += KernelConstants.PageSize)
            {
                space.Unmap(page);
            }

            cores.FlushTlbs();
        }

        kernelPages.Free(stacks.KernelStack);
        stacks.KernelStack = 0;
        State.Thread(slot, tid, write: true).State = ThreadStatus.Zombie;
        scheduler.Remove(slot, tid);
        ref ThreadControl control = ref State.Control(slot, write: true);
        control.LiveThreads--;
        if (control.LiveThreads == 0)
        {
            procs.Terminate(slot, (int)(value & 0xFF), diagnostic: null);
            return CallResult.Gone;
        }

        ref JoinCondition join = ref State.Join(slot, tid);
        if (join.HasWaiter != 0)
        {
            int waiter = join.Waiter;
            int result = Collect(slot, tid, threads.Context(slot, waiter).Get(AbiRegister.A1));
            threads.Wake(slot, waiter, result, now);
        }

        return CallResult.Gone;
    }

    public CallResult Join(int slot, int caller, int target, uint valuePointer)
    {
        if (target < 0 || target >= KernelConstants.MaxThreads || State.Thread(slot, target).State == ThreadStatus.Free)
        {
            return CallResult.Error(Errno.ESRCH);
        }

        if (target == caller)
        {
            return CallResult.Error(Errno.EDEADLK);
        }

        ref JoinCondition join = ref State.Join(slot, target);
        if (join.HasWaiter != 0)
        {
            return CallResult.Error(Errno.EINVAL);
        }

        if (State.Thread(slot, target).State == ThreadStatus.Zombie)
        {
            return CallResult.Done(Collect(slot, target, valuePointer));
        }

        join = ref State.Join(slot, target, write: true);
        join.HasWaiter = 1;
        join.Waiter = caller;
        threads.Block(slot, caller, WaitKind.Join, target);
        return CallResult.Blocked;
    }

    public CallResult Sleep(int slot, int tid)
    {
        ref ThreadEntry thread = ref State.Thread(slot, tid, write: true);
        if (thread.WakeupPending != 0)
        {
            thread.WakeupPending = 0;
            return CallResult.Done(0);
        }

        threads.Block(slot, tid, WaitKind.Sleep, 0);
        return CallResult.Blocked;
    }

    public CallResult Wakeup(int slot, int target, ulong now)
    {
        if (target < 0 || target >= KernelConstants.MaxThreads)
        {
            return CallResult.Error(Errno.ESRCH);
        }

        ref ThreadEntry thread = ref State.Thread(slot, target, write: true);
        if (thread.State is ThreadStatus.Free or ThreadStatus.Zombie)
        {
            return CallResult.Error(Errno.ESRCH);
        }

        if (thread.State == ThreadStatus.Blocked && thread.WaitKind == WaitKind.Sleep)
        {
            threads.Wake(slot, target, 0, now);
        }
        else
        {
            thread.WakeupPending = 1;
        }

        return CallResult.Done(0);
    }

    /// <summary>Hands the return value of a finished thread to its joiner and frees its slot; the joiner's answer.</summary>
    private int Collect(int slot, int tid, uint valuePointer)
    {
        uint value = State.Return(slot, tid).Value;
        State.Thread(slot, tid, write: true) = default;
        State.Join(slot, tid, write: true) = default;
        if (valuePointer == 0)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return procs.User(slot).CopyTo(valuePointer, bytes) ? 0 : -Errno.EFAULT;
    }
}
