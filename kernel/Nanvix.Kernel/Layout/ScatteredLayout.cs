using System.Runtime.CompilerServices;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// The original Nanvix: one kernel global per kind of state, each sized for every process of the cluster (the
/// thread table holds all threads, the board one slot per core), one after another in kernel data, each on its
/// own cache line. A process's state is spread over all of them.
/// </summary>
public readonly struct ScatteredLayout : IProcessLayout
{
    private const int T = KernelConstants.MaxThreads;
    private const int S = KernelConstants.MaxSyncObjects;

    public static ProcessLayoutKind Kind => ProcessLayoutKind.Scattered;

    /// <remarks>The Scattered layout has no User Areas: <paramref name="uareaGap"/> must be 0.</remarks>
    public static KernelDataPlan Plan(ulong start, int processes, int uareaGap = 0)
    {
        if (uareaGap != 0)
        {
            throw new ArgumentException("a gap between User Areas applies to the UArea layout only", nameof(uareaGap));
        }

        var placements = new List<Placement>();
        ulong cursor = start;
        ulong Place<TEntry>(string name, int count)
            where TEntry : unmanaged
        {
            ulong at = cursor;
            int size = count * Unsafe.SizeOf<TEntry>();
            placements.Add(new Placement(name, at, size, typeof(TEntry).Name, count));
            cursor = (at + (ulong)size + 63) & ~63UL;
            return at;
        }

        ulong threads = Place<ThreadEntry>("thread table", processes * T);
        ulong joins = Place<JoinCondition>("join conditions", processes * T);
        ulong returns = Place<ReturnValue>("return values", processes * T);
        ulong stacks = Place<ThreadStacks>("stack pointers", processes * T);
        ulong runQueues = Place<RunQueue>("run queues", processes);
        ulong control = Place<ThreadControl>("thread control", processes);
        ulong pageTables = Place<PageTablePointer>("page-table pointers", processes);
        ulong sysboard = Place<SysboardEntry>("sysboard", KernelConstants.MaxCores);
        ulong mutexes = Place<MutexEntry>("mutexes", processes * S);
        ulong semaphores = Place<SemaphoreEntry>("semaphores", processes * S);
        ulong conditions = Place<ConditionEntry>("conditions", processes * S);
        int ikcEntries = (processes * KernelConstants.IkcDescriptorsPerProcess) + KernelConstants.IkcNodeEntries;
        ulong ikc = Place<IkcEntry>("IKC descriptors", ikcEntries);
        return new KernelDataPlan
        {
            Threads = threads,
            Joins = joins,
            Returns = returns,
            Stacks = stacks,
            RunQueues = runQueues,
            Control = control,
            PageTables = pageTables,
            Sysboard = sysboard,
            Mutexes = mutexes,
            Semaphores = semaphores,
            Conditions = conditions,
            Ikc = ikc,
            IkcEntries = ikcEntries,
            IkcProcesses = processes,
            End = cursor,
            Placements = placements,
        };
    }

    public static ulong Thread(in KernelDataPlan plan, int process, int tid) =>
        plan.Threads + (ulong)(((process * T) + tid) * Unsafe.SizeOf<ThreadEntry>());

    public static ulong Join(in KernelDataPlan plan, int process, int tid) =>
        plan.Joins + (ulong)(((process * T) + tid) * Unsafe.SizeOf<JoinCondition>());

    public static ulong Return(in KernelDataPlan plan, int process, int tid) =>
        plan.Returns + (ulong)(((process * T) + tid) * Unsafe.SizeOf<ReturnValue>());

    public static ulong Stacks(in KernelDataPlan plan, int process, int tid) =>
        plan.Stacks + (ulong)(((process * T) + tid) * Unsafe.SizeOf<ThreadStacks>());

    public static ulong RunQueue(in KernelDataPlan plan, int process) => plan.RunQueues + (ulong)(process * Unsafe.SizeOf<RunQueue>());

    public static ulong Control(in KernelDataPlan plan, int process) => plan.Control + (ulong)(process * Unsafe.SizeOf<ThreadControl>());

    public static ulong PageTable(in KernelDataPlan plan, int process) => plan.PageTables + (ulong)(process * Unsafe.SizeOf<PageTablePointer>());

    /// <summary>The board is per core, shared by the processes of the cluster, as in Nanvix.</summary>
    public static ulong Sysboard(in KernelDataPlan plan, int process, int core) => plan.Sysboard + (ulong)(core * Unsafe.SizeOf<SysboardEntry>());

    public static ulong Mutex(in KernelDataPlan plan, int process, int id) =>
        plan.Mutexes + (ulong)(((process * S) + id) * Unsafe.SizeOf<MutexEntry>());

    public static ulong Semaphore(in KernelDataPlan plan, int process, int id) =>
        plan.Semaphores + (ulong)(((process * S) + id) * Unsafe.SizeOf<SemaphoreEntry>());

    public static ulong Condition(in KernelDataPlan plan, int process, int id) =>
        plan.Conditions + (ulong)(((process * S) + id) * Unsafe.SizeOf<ConditionEntry>());

    /// <summary>One global table, every process's entries among the others'.</summary>
    public static ulong IkcDescriptor(in KernelDataPlan plan, int id) => plan.Ikc + (ulong)(id * IkcEntry.Size);
}
