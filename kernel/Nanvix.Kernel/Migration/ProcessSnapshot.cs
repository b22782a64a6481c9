using Nanvix.Arch.Core;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// A frozen process on its way between clusters: everything the source kernel kept for it — the process record,
/// every mapped page with its contents, the per-process kernel state (threads, joins, return values, stacks, run
/// queue, control variables, synchronization objects), and each live thread's saved context. Physical addresses
/// are not part of it: the target maps the same virtual pages on frames of its own.
/// </summary>
public sealed class ProcessSnapshot
{
    public required ProcessRecord Record { get; init; }

    public required List<(uint Virtual, PagePermissions Permissions, byte[] Contents)> Pages { get; init; }

    public required ThreadEntry[] Threads { get; init; }

    public required JoinCondition[] Joins { get; init; }

    public required ReturnValue[] Returns { get; init; }

    public required uint[] UserStackTops { get; init; }

    /// <summary>Saved context of each thread that has one (not free, not exited).</summary>
    public required RegisterContext[] Contexts { get; init; }

    public required RunQueue RunQueue { get; init; }

    public required ThreadControl Control { get; init; }

    public required MutexEntry[] Mutexes { get; init; }

    public required SemaphoreEntry[] Semaphores { get; init; }

    public required ConditionEntry[] Conditions { get; init; }

    /// <summary>Bytes of user memory: text, data, heap (every page that is not a stack).</summary>
    public long SectionBytes { get; init; }

    /// <summary>Bytes of the user stacks.</summary>
    public long StackBytes { get; init; }

    /// <summary>Bytes of per-process kernel state (the UArea, or the same entries gathered from the scattered tables), record included.</summary>
    public long KernelStateBytes { get; init; }

    /// <summary>Bytes of the saved thread contexts.</summary>
    public long ContextBytes { get; init; }

    public long TotalBytes => SectionBytes + StackBytes + KernelStateBytes + ContextBytes;
}
