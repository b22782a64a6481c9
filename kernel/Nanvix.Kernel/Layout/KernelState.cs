using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// The kernel's access to per-process state under layout <typeparamref name="TLayout"/>: a reference into cluster
/// memory for every table entry, and, when the cache model is on, each access counted (per line of the D$ it touches)
/// in the modeled D$ of the core
/// the kernel is serving (<see cref="Serving"/>), miss penalty included. This is where the two layouts differ:
/// the same kernel code touches different addresses, and so different cache lines.
/// </summary>
[KernelHotPath]
public sealed class KernelState<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly KernelMemory _memory;
    private readonly KernelDataPlan _plan;

    public KernelState(KernelMemory memory, KernelDataPlan plan)
    {
        _memory = memory;
        _plan = plan;
    }

    public KernelDataPlan Plan => _plan;

    /// <summary>The kernel's data accesses, counted in the serving core's D$ by structure.</summary>
    public KernelMemory Memory => _memory;

    /// <summary>The core on whose D$ kernel accesses are counted; null counts nothing.</summary>
    public ICore? Serving
    {
        get => _memory.Serving;
        set => _memory.Serving = value;
    }

    public ref ThreadEntry Thread(int process, int tid, bool write = false) =>
        ref At<ThreadEntry>(TLayout.Thread(_plan, process, tid), KernelStructure.Threads, write);

    public ref JoinCondition Join(int process, int tid, bool write = false) =>
        ref At<JoinCondition>(TLayout.Join(_plan, process, tid), KernelStructure.Joins, write);

    public ref ReturnValue Return(int process, int tid, bool write = false) =>
        ref At<ReturnValue>(TLayout.Return(_plan, process, tid), KernelStructure.Returns, write);

    public ref ThreadStacks Stacks(int process, int tid, bool write = false) =>
        ref At<ThreadStacks>(TLayout.Stacks(_plan, process, tid), KernelStructure.Stacks, write);

    public ref RunQueue RunQueue(int process, bool write = false) =>
        ref At<RunQueue>(TLayout.RunQueue(_plan, process), KernelStructure.RunQueues, write);

    public ref ThreadControl Control(int process, bool write = false) =>
        ref At<ThreadControl>(TLayout.Control(_plan, process), KernelStructure.ThreadCounters, write);

    public ref PageTablePointer PageTable(int process, bool write = false) =>
        ref At<PageTablePointer>(TLayout.PageTable(_plan, process), KernelStructure.PageTableRoots, write);

    public ref SysboardEntry Sysboard(int process, int core, bool write = false) =>
        ref At<SysboardEntry>(TLayout.Sysboard(_plan, process, core), KernelStructure.Board, write);

    public ref MutexEntry Mutex(int process, int id, bool write = false) =>
        ref At<MutexEntry>(TLayout.Mutex(_plan, process, id), KernelStructure.Mutexes, write);

    public ref SemaphoreEntry Semaphore(int process, int id, bool write = false) =>
        ref At<SemaphoreEntry>(TLayout.Semaphore(_plan, process, id), KernelStructure.Semaphores, write);

    public ref ConditionEntry Condition(int process, int id, bool write = false) =>
        ref At<ConditionEntry>(TLayout.Condition(_plan, process, id), KernelStructure.Conditions, write);

    /// <summary>Clears every table entry of <paramref name="process"/> (the board slots too under UArea).</summary>
    public void Clear(int process)
    {
        ICore? serving = Serving;
        Serving = null;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            Thread(process, t) = default;
            Join(process, t) = default;
            Return(process, t) = default;
            Stacks(process, t) = default;
        }

        RunQueue(process) = default;
        Control(process) = default;
        PageTable(process) = default;
        for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
        {
            Mutex(process, i) = default;
            Semaphore(process, i) = default;
            Condition(process, i) = default;
        }

        if (TLayout.Kind == ProcessLayoutKind.UArea)
        {
            for (int c = 0; c < KernelConstants.MaxCores; c++)
            {
                Sysboard(process, c) = default;
            }
        }

        Serving = serving;
    }

    /// <summary>Counts an access of <paramref name="size"/> bytes at <paramref name="address"/> that is not a per-process table entry (a saved context, an IKC entry a move gathers).</summary>
    public void Touch(ulong address, int size, bool write, KernelStructure structure = KernelStructure.Contexts)
    {
        if (write)
        {
            _memory.Update(address, size, structure);
        }
        else
        {
            _memory.Load(address, size, structure);
        }
    }

    private ref T At<T>(ulong address, KernelStructure structure, bool write)
        where T : unmanaged => ref _memory.At<T>(address, structure, write);
}
