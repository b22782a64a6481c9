using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Sched;

namespace Nanvix.Kernel.Threads;

/// <summary>
/// The life of threads in the thread table: start, block, wake, and the scans over a process's threads that the
/// call families share (who waits longest on an object, who waits for a move). Each thread's saved context is at the
/// top of its kernel stack page; reading or writing it is counted in the D$ of the core the kernel serves.
/// Nanvix: <c>thread_create</c>, <c>thread_sleep</c> / <c>thread_wakeup</c> in <c>src/kernel/pm/thread.c</c>.
/// </summary>
[KernelHotPath]
internal sealed class ThreadManager<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly KernelState<TLayout> _state;
    private readonly Scheduler<TLayout> _scheduler;
    private readonly ClusterMemory _memory;

    public ThreadManager(KernelState<TLayout> state, Scheduler<TLayout> scheduler, ClusterMemory memory)
    {
        _state = state;
        _scheduler = scheduler;
        _memory = memory;
    }

    /// <summary>The thread-table row of thread <paramref name="tid"/> of <paramref name="slot"/> (counted in the serving core's D$).</summary>
    public ref ThreadEntry Entry(int slot, int tid, bool write = false) => ref _state.Thread(slot, tid, write);

    /// <summary>Makes a new thread ready: its entry in the tables, its context at the top of its kernel stack, its place in the queue.</summary>
    public void Start(int slot, int tid, int core, uint kernelStack, uint userStackTop, uint pc, uint sp, uint a0, uint a1, ulong readyAt)
    {
        ref ThreadStacks stacks = ref _state.Stacks(slot, tid, write: true);
        stacks.KernelStack = kernelStack;
        stacks.UserStackTop = userStackTop;
        _state.Join(slot, tid, write: true) = default;
        _state.Return(slot, tid, write: true) = default;
        ref ThreadEntry thread = ref _state.Thread(slot, tid, write: true);
        thread = default;
        thread.Tid = tid;
        thread.State = ThreadStatus.Ready;
        thread.Core = core;
        thread.ReadyAt = readyAt;
        ref ThreadControl control = ref _state.Control(slot, write: true);
        control.LiveThreads++;
        control.Created++;

        ref RegisterContext context = ref Context(slot, tid, write: true);
        context = default;
        context.Pc = pc;
        context.Set(AbiRegister.Sp, sp);
        context.Set(AbiRegister.A0, a0);
        context.Set(AbiRegister.A1, a1);
        _scheduler.Enqueue(slot, tid);
    }

    /// <summary>Readies a blocked thread at cycle <paramref name="at"/> with <paramref name="result"/> as the answer of its kernel call.</summary>
    public void Wake(int slot, int tid, int result, ulong at)
    {
        Context(slot, tid, write: true).Set(AbiRegister.A0, (uint)result);
        ref ThreadEntry thread = ref _state.Thread(slot, tid, write: true);
        thread.State = ThreadStatus.Ready;
        thread.WaitKind = WaitKind.None;
        thread.ReadyAt = at + KernelConstants.SysboardReplyCycles;
        _scheduler.Enqueue(slot, tid);
    }

    /// <summary>Makes a parked thread ready again without an answer: it runs from the instruction it stopped at (a page it waited for is here).</summary>
    public void Resume(int slot, int tid, ulong at)
    {
        ref ThreadEntry thread = ref _state.Thread(slot, tid, write: true);
        thread.State = ThreadStatus.Ready;
        thread.WaitKind = WaitKind.None;
        thread.ReadyAt = at;
        _scheduler.Enqueue(slot, tid);
    }

    /// <summary>Parks thread <paramref name="tid"/> in the kernel, waiting for <paramref name="kind"/> <paramref name="target"/>.</summary>
    public void Block(int slot, int tid, WaitKind kind, int target)
    {
        ref ThreadControl control = ref _state.Control(slot, write: true);
        ref ThreadEntry thread = ref _state.Thread(slot, tid, write: true);
        thread.State = ThreadStatus.Blocked;
        thread.WaitKind = kind;
        thread.WaitObject = target;
        thread.WaitMutex = 0;
        thread.WaitTicket = control.NextTicket++;
        _scheduler.Remove(slot, tid);
    }

    /// <summary>The thread that has waited longest for <paramref name="kind"/> <paramref name="target"/>, or -1.</summary>
    public int FirstWaiter(int slot, WaitKind kind, int target)
    {
        int first = -1;
        int ticket = int.MaxValue;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ref ThreadEntry thread = ref _state.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind == kind && thread.WaitObject == target && thread.WaitTicket < ticket)
            {
                first = t;
                ticket = thread.WaitTicket;
            }
        }

        return first;
    }

    /// <summary>Answers every thread of <paramref name="slot"/> blocked on <paramref name="kind"/> with <paramref name="result"/>, each at the cycle it blocked from.</summary>
    public void WakeAll(int slot, WaitKind kind, int result)
    {
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = _state.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind == kind)
            {
                Wake(slot, t, result, thread.ReadyAt);
            }
        }
    }

    /// <summary>
    /// The saved context of a thread, at the top of its kernel stack page; the access is counted in the D$ of the
    /// core the kernel serves (restoring or saving it on a trap, writing a result into it).
    /// </summary>
    public ref RegisterContext Context(int slot, int tid, bool write = false)
    {
        ulong address = ContextAddress(slot, tid);
        _state.Touch(address, RegisterContext.Size, write);
        return ref _memory.At<RegisterContext>(address);
    }

    /// <summary>Where the saved context of a thread is: the top of its kernel stack page.</summary>
    public ulong ContextAddress(int slot, int tid) =>
        _state.Stacks(slot, tid).KernelStack + KernelConstants.PageSize - RegisterContext.Size;
}
