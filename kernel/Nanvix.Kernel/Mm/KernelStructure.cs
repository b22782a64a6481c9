namespace Nanvix.Kernel.Mm;

/// <summary>
/// What a kernel data access touches, for the D$ counts by structure (<see cref="KernelMemory"/>). The per-process
/// tables are named as the Scattered layout keeps them; under UArea the same entries sit in each process's User Area.
/// </summary>
public enum KernelStructure : byte
{
    /// <summary>Thread entries (state, wait, ticket, core).</summary>
    Threads,

    /// <summary>Join conditions.</summary>
    Joins,

    /// <summary>Threads' return values.</summary>
    Returns,

    /// <summary>Threads' stack pointers.</summary>
    Stacks,

    /// <summary>Per-core run queues of a process.</summary>
    RunQueues,

    /// <summary>A process's thread counters.</summary>
    ThreadCounters,

    /// <summary>A process's page-table root pointer.</summary>
    PageTableRoots,

    /// <summary>The kernel-call board.</summary>
    Board,

    /// <summary>Kernel mutexes.</summary>
    Mutexes,

    /// <summary>Kernel semaphores.</summary>
    Semaphores,

    /// <summary>Kernel condition variables.</summary>
    Conditions,

    /// <summary>Saved registers of a thread, at the top of its kernel stack page.</summary>
    Contexts,

    /// <summary>The cluster's process table.</summary>
    Processes,

    /// <summary>The IKC descriptor table (mailboxes, portals, sync points).</summary>
    IkcDescriptors,

    /// <summary>Sv32 page directories and page tables, as the kernel reads and writes them (the MMU's own walks are not the kernel's).</summary>
    PageTables,

    /// <summary>The bitmaps of free user frames and kernel pages.</summary>
    PageBitmaps,

    /// <summary>Pages the kernel zeroes before it hands them out (frames, page tables, kernel stacks, queue pages).</summary>
    PageZeroing,

    /// <summary>User memory the kernel copies in or out for a call (write, read, clock, names, node lists, join values).</summary>
    UserCopies,
}

/// <summary>Names of <see cref="KernelStructure"/> as the statistics file and <c>-v</c> write them.</summary>
public static class KernelStructures
{
    /// <summary>How many structures there are.</summary>
    public const int Count = (int)KernelStructure.UserCopies + 1;

    /// <summary>The snake-case name of <paramref name="structure"/> ("thread_table", "page_zeroing", …).</summary>
    public static string Name(KernelStructure structure) => structure switch
    {
        KernelStructure.Threads => "thread_table",
        KernelStructure.Joins => "join_table",
        KernelStructure.Returns => "return_table",
        KernelStructure.Stacks => "stack_table",
        KernelStructure.RunQueues => "run_queue",
        KernelStructure.ThreadCounters => "thread_control",
        KernelStructure.PageTableRoots => "page_table_root",
        KernelStructure.Board => "sysboard",
        KernelStructure.Mutexes => "mutex_table",
        KernelStructure.Semaphores => "semaphore_table",
        KernelStructure.Conditions => "condition_table",
        KernelStructure.Contexts => "context",
        KernelStructure.Processes => "process_table",
        KernelStructure.IkcDescriptors => "ikc_table",
        KernelStructure.PageTables => "page_tables",
        KernelStructure.PageBitmaps => "page_bitmaps",
        KernelStructure.PageZeroing => "page_zeroing",
        KernelStructure.UserCopies => "user_copies",
        _ => throw new ArgumentOutOfRangeException(nameof(structure), structure, "no such kernel structure"),
    };
}
