namespace Nanvix.Kernel.Mm;

/// <summary>A routine of the modeled kernel text (<see cref="KernelText"/>): one row of its table.</summary>
public enum KernelRoutine : byte
{
    KcallStub,
    HandleSyscall,
    LeaveKernel,
    DoKcall,
    ExceptionStub,
    DoException,
    ExceptionDefault,
    InterruptStub,
    DoInterrupt,
    TimerHandler,
    Schedule,
    ContextSwitch,
    KcallThreadGetId,
    ThreadGetCurrent,
    KcallWrite,
    Kputs,
    StdoutWrite,
    KcallVmctrl,
    VmemMap,
    KcallThreadCreate,
    ThreadCreate,
    ContextCreate,
    UthreadForgeStack,
    KcallThreadJoin,
    ThreadJoin,
    KcallThreadExit,
    ThreadExit,
    ThreadFree,
    KcallThreadYield,
    ThreadYield,
    ThreadSleep,
    ThreadWakeup,
    KcallSemget,
    SemaphoreCreate,
    KcallSemctl,
    SemaphoreDelete,
    KcallSemop,
    SemaphoreDown,
    SemaphoreUp,
    ConditionWait,
    ConditionBroadcast,
    DoMailboxCreate,
    MailboxGet,
    MailboxAssign,
    DoMailboxWrite,
    MailboxPush,
    DoMailboxRead,
    MailboxPop,
    DoMailboxClose,
    MailboxUnlink,
    PortalOpen,
    PortalWrite,
    PortalRead,
    PortalClose,
    SyncPointOpen,
    SyncPointSignal,
    SyncPointWait,
    SyncPointClose,
    ServiceRequest,
    MigrateCall,
    KpageGet,
    KpagePut,
    FrameAlloc,
    FrameFree,
    BitmapFirstFree,
    Memset,
    UpageMap,
    MmuPageMap,
    MigrationFreeze,
    MigrationRestore,
}

/// <summary>A kernel path: what one piece of kernel work executes, as a list of <see cref="KernelRoutine"/>s.</summary>
public enum KernelPath : byte
{
    /// <summary>Trap entry and exit of a kernel call, on the calling core.</summary>
    CallTrap,

    /// <summary>Decoding a kernel call and jumping to its family, on the core that serves it.</summary>
    CallDecode,

    /// <summary>Trap entry and exit of a fault that kills a thread.</summary>
    FaultTrap,

    /// <summary>A quantum that ends without a trap: the timer interrupt, the scheduler, a context switch.</summary>
    Preemption,

    Identity,
    ConsoleWrite,
    Brk,
    ThreadCreate,
    ThreadJoin,
    ThreadExit,
    ThreadYield,
    ThreadSleep,
    ThreadWakeup,
    SyncCreate,
    SyncDestroy,
    SyncDown,
    SyncUp,
    ConditionWait,
    ConditionSignal,
    MailboxOpen,
    MailboxWrite,
    MailboxRead,
    MailboxClose,
    PortalOpen,
    PortalWrite,
    PortalRead,
    PortalClose,
    SyncPointOpen,
    SyncPointSignal,
    SyncPointWait,
    SyncPointClose,
    Service,
    Migrate,

    /// <summary>A page from the kernel pool (a page table, a kernel stack, a queue page).</summary>
    KernelPageAlloc,
    KernelPageFree,

    /// <summary>A user frame.</summary>
    FrameAlloc,
    FrameFree,

    /// <summary>Zeroing a page before it is handed out.</summary>
    PageZero,

    /// <summary>Mapping a user page in a process's page tables.</summary>
    PageMap,

    /// <summary>A NoC event the master core takes as an interrupt: a message, a transfer's end, a sync release.</summary>
    NocEvent,

    /// <summary>The migration daemon freezing a process and gathering its image, on the source.</summary>
    MigrationFreeze,

    /// <summary>The migration daemon restoring an arrived process, on the target.</summary>
    MigrationRestore,
}

/// <summary>One routine of the kernel text: its size, the instructions and conditional branches it executes once through, and where the figures come from.</summary>
public readonly record struct KernelRoutineInfo(string Name, int Bytes, int Instructions, int Branches, string Source);

/// <summary>
/// The kernel's code as the I$ sees it: a text map of the kernel-image region. Each <see cref="KernelRoutine"/> has a
/// size, an instruction count and a count of conditional branches; routines are laid out from the start of the
/// kernel image in table order, each on a 16-byte boundary (gcc's function alignment at -O2 and above on x86), and a
/// <see cref="KernelPath"/> is the list of routines a piece of kernel work runs. When the kernel runs a path on a
/// core (<see cref="KernelMemory.Execute"/>), the core's I$ fetches every line of those routines, counted as kernel,
/// miss penalty included; the path's instructions and branches are counted whatever the cache model.
/// <para>
/// Source of the measured rows: the Nanvix microkernel, github.com/nanvix/microkernel at f193ed8 (the x86 port; the
/// k1b port the seed measured is not public in that tree), each file compiled alone with gcc 12.2
/// <c>-m32 -march=i486 -std=c17 -O3 -ffreestanding -nostdlib -fno-pic -D__x86__</c> (its release flags); bytes from
/// <c>nm -S</c>, instructions and conditional branches (<c>j*</c> other than <c>jmp</c>) from <c>objdump -d</c>, static
/// counts. Rows marked "assumption" have no routine in that tree (portals, sync points, the services, migration) and
/// are sized as the named Nanvix routine that does the nearest job.
/// </para>
/// <para>
/// Assumptions of the model, all in this table's reading: the k1b's code for a routine is as large as its i486 code;
/// a path runs each of its routines once straight through, so its instructions and branches are the routines'
/// static counts (loops are counted once: memset, bitmap scans and copies execute more than that) and every line of
/// a routine is fetched (an upper bound of the lines a run touches); branches are not split into taken and not
/// taken. Both layouts run the same text: their address computations differ by a few instructions per access (base
/// plus offset under UArea, table plus index times stride under Scattered), below what routine sizes measured on a
/// kernel with one layout can tell apart, so the model gives both the same I$ footprint and branch counts.
/// </para>
/// </summary>
public static class KernelText
{
    /// <summary>Bytes each routine's start is aligned to.</summary>
    public const int Alignment = 16;

    private const string Mk = "nanvix/microkernel@f193ed8 ";

    private static readonly KernelRoutineInfo[] Routines =
    [
        new("_do_kcall", 19, 9, 0, Mk + "src/kernel/hal/arch/hooks.S"),
        new("handle_syscall", 46, 11, 0, Mk + "src/kernel/kcall/mod.c"),
        new("__leave_kernel", 1, 1, 0, Mk + "src/kernel/hal/arch/hooks.S"),
        new("do_kcall", 680, 222, 1, Mk + "src/kernel/kcall/mod.c"),
        new("_do_excp", 94, 27, 0, Mk + "src/kernel/hal/arch/hooks.S"),
        new("do_exception", 66, 27, 1, Mk + "src/kernel/hal/exception/mod.c"),
        new("default_handler (exception)", 36, 13, 0, Mk + "src/kernel/hal/exception/mod.c"),
        new("_do_hwint0", 107, 28, 0, Mk + "src/kernel/hal/arch/hooks.S"),
        new("do_interrupt", 57, 21, 2, Mk + "src/kernel/hal/interrupt/mod.c"),
        new("do_timer (hal)", 33, 11, 1, Mk + "src/kernel/hal/interrupt/mod.c"),
        new("do_timer (pm)", 1026, 198, 33, Mk + "src/kernel/pm/thread.c"),
        new("__context_switch", 69, 23, 0, Mk + "src/kernel/hal/arch/hooks.S"),
        new("kcall_thread_get_id", 5, 3, 0, Mk + "src/kernel/kcall/thread.c"),
        new("thread_get_curr", 8, 5, 0, Mk + "src/kernel/pm/thread.c"),
        new("kcall_write", 145, 44, 5, Mk + "src/kernel/kcall/write.c"),
        new("kputs", 39, 20, 1, Mk + "src/kernel/lib/kputs.c"),
        new("stdout_write", 5, 1, 0, Mk + "src/kernel/hal/arch/stdout.c"),
        new("kcall_vmctrl", 72, 24, 1, Mk + "src/kernel/kcall/vmem.c"),
        new("vmem_map", 134, 41, 3, Mk + "src/kernel/mm/vmem/mod.c"),
        new("kcall_thread_create", 105, 33, 2, Mk + "src/kernel/kcall/thread.c"),
        new("thread_create", 932, 238, 26, Mk + "src/kernel/pm/thread.c"),
        new("context_create", 50, 20, 0, Mk + "src/kernel/hal/arch/ctx.c"),
        new("uthread_forge_stack", 77, 21, 1, Mk + "src/kernel/hal/arch/uthread.c"),
        new("kcall_thread_join", 5, 3, 0, Mk + "src/kernel/kcall/thread.c"),
        new("thread_join", 1174, 242, 38, Mk + "src/kernel/pm/thread.c"),
        new("kcall_thread_exit", 18, 8, 0, Mk + "src/kernel/kcall/thread.c"),
        new("thread_exit", 133, 44, 3, Mk + "src/kernel/pm/thread.c"),
        new("thread_free", 321, 87, 5, Mk + "src/kernel/pm/thread.c"),
        new("kcall_thread_yield", 5, 3, 0, Mk + "src/kernel/kcall/thread.c"),
        new("thread_yield", 1010, 201, 46, Mk + "src/kernel/pm/thread.c"),
        new("thread_sleep", 1010, 200, 45, Mk + "src/kernel/pm/thread.c"),
        new("thread_wakeup", 38, 14, 1, Mk + "src/kernel/pm/thread.c"),
        new("kcall_semget", 45, 17, 2, Mk + "src/kernel/kcall/sem/semget.c"),
        new("semaphore_create", 249, 65, 5, Mk + "src/kernel/pm/semaphore.c"),
        new("kcall_semctl", 13, 4, 0, Mk + "src/kernel/kcall/sem/semctl.c"),
        new("semaphore_delete", 523, 153, 35, Mk + "src/kernel/pm/semaphore.c"),
        new("kcall_semop", 9, 3, 0, Mk + "src/kernel/kcall/sem/semop.c"),
        new("semaphore_down", 82, 33, 3, Mk + "src/kernel/pm/semaphore.c"),
        new("semaphore_up", 53, 14, 1, Mk + "src/kernel/pm/semaphore.c"),
        new("cond_wait", 58, 20, 1, Mk + "src/kernel/pm/cond.c"),
        new("cond_broadcast", 79, 28, 3, Mk + "src/kernel/pm/cond.c"),
        new("do_mailbox_create", 24, 11, 0, Mk + "src/kernel/ipc/mailbox/mod.c"),
        new("mailbox_get", 302, 101, 9, Mk + "src/kernel/ipc/mailbox/mailboxes.c"),
        new("mailbox_assign", 275, 77, 5, Mk + "src/kernel/ipc/mailbox/mailbox.c"),
        new("do_mailbox_write", 195, 60, 5, Mk + "src/kernel/ipc/mailbox/mod.c"),
        new("mailbox_push", 422, 127, 9, Mk + "src/kernel/ipc/mailbox/mailbox.c"),
        new("do_mailbox_read", 195, 60, 5, Mk + "src/kernel/ipc/mailbox/mod.c"),
        new("mailbox_pop", 337, 105, 7, Mk + "src/kernel/ipc/mailbox/mailbox.c"),
        new("do_mailbox_close", 19, 9, 0, Mk + "src/kernel/ipc/mailbox/mod.c"),
        new("mailbox_unlink", 161, 53, 4, Mk + "src/kernel/ipc/mailbox/mailbox.c"),
        new("portal_open", 302 + 275, 101 + 77, 9 + 5, "assumption: as mailbox_get + mailbox_assign"),
        new("portal_write", 195 + 422, 60 + 127, 5 + 9, "assumption: as do_mailbox_write + mailbox_push"),
        new("portal_read", 195 + 337, 60 + 105, 5 + 7, "assumption: as do_mailbox_read + mailbox_pop"),
        new("portal_close", 19 + 161, 9 + 53, 0 + 4, "assumption: as do_mailbox_close + mailbox_unlink"),
        new("sync_open", 302 + 275, 101 + 77, 9 + 5, "assumption: as mailbox_get + mailbox_assign"),
        new("sync_signal", 195, 60, 5, "assumption: as do_mailbox_write"),
        new("sync_wait", 82, 33, 3, "assumption: as semaphore_down"),
        new("sync_close", 19 + 161, 9 + 53, 0 + 4, "assumption: as do_mailbox_close + mailbox_unlink"),
        new("service_request", 195 + 195, 60 + 60, 5 + 5, "assumption: as do_mailbox_write + do_mailbox_read"),
        new("kcall_migrate", 49, 17, 1, "assumption: as kcall_spawn (" + Mk + "src/kernel/kcall/spawn.c)"),
        new("kpage_get", 129, 47, 3, Mk + "src/kernel/mm/kpool/mod.c"),
        new("kpage_put", 88, 27, 2, Mk + "src/kernel/mm/kpool/mod.c"),
        new("frame_alloc", 123, 40, 2, Mk + "src/kernel/mm/frame/mod.c"),
        new("frame_free", 103, 33, 2, Mk + "src/kernel/mm/frame/mod.c"),
        new("bitmap_first_free", 97, 44, 5, Mk + "src/kernel/lib/bitmap.c"),
        new("memset", 326, 110, 14, Mk + "src/libcore/memset.c"),
        new("upage_map", 508, 148, 10, Mk + "src/kernel/mm/upool/mod.c"),
        new("mmu_page_map", 86, 30, 2, Mk + "src/kernel/hal/arch/mmu.c"),
        new("migration_freeze", 1282 + 354, 250 + 85, 62 + 18, "assumption: as thread_sleep_all + process_get"),
        new("migration_restore", 638 + 320, 143 + 64, 20 + 18, "assumption: as process_create + thread_wakeup_all"),
    ];

    private static readonly KernelRoutine[][] Paths = BuildPaths();

    private static readonly int[] Offsets = BuildOffsets();

    // What each path executes once through, summed once here rather than on every run of it.
    private static readonly int[] PathInstructions = Sum(r => r.Instructions);
    private static readonly int[] PathBranches = Sum(r => r.Branches);

    /// <summary>How many routines the table has.</summary>
    public static int RoutineCount => Routines.Length;

    /// <summary>How many paths there are.</summary>
    public const int PathCount = (int)KernelPath.MigrationRestore + 1;

    /// <summary>Bytes from the start of the kernel image to the end of the last routine.</summary>
    public static int Size => Offsets[^1] + Routines[^1].Bytes;

    public static KernelRoutineInfo Info(KernelRoutine routine) => Routines[(int)routine];

    /// <summary>Where <paramref name="routine"/> starts, in bytes from the start of the kernel image.</summary>
    public static int Offset(KernelRoutine routine) => Offsets[(int)routine];

    /// <summary>The routines <paramref name="path"/> runs, in order.</summary>
    public static ReadOnlySpan<KernelRoutine> RoutinesOf(KernelPath path) => Paths[(int)path];

    /// <summary>Instructions <paramref name="path"/> executes once through (the sum over its routines).</summary>
    public static int InstructionsOf(KernelPath path) => PathInstructions[(int)path];

    /// <summary>Conditional branches <paramref name="path"/> executes once through.</summary>
    public static int BranchesOf(KernelPath path) => PathBranches[(int)path];

    /// <summary>The I$ lines of <paramref name="lineBytes"/> bytes that <paramref name="path"/> fetches once through (a line two of its routines share counts once per routine).</summary>
    public static int LinesOf(KernelPath path, int lineBytes)
    {
        int lines = 0;
        foreach (KernelRoutine r in RoutinesOf(path))
        {
            int start = Offsets[(int)r];
            int end = start + Routines[(int)r].Bytes;
            lines += ((end - 1) / lineBytes) - (start / lineBytes) + 1;
        }

        return lines;
    }

    /// <summary>The snake-case name of <paramref name="path"/> as the statistics file writes it.</summary>
    public static string Name(KernelPath path) => path switch
    {
        KernelPath.CallTrap => "call_trap",
        KernelPath.CallDecode => "call_decode",
        KernelPath.FaultTrap => "fault_trap",
        KernelPath.Preemption => "preemption",
        KernelPath.Identity => "identity",
        KernelPath.ConsoleWrite => "console_write",
        KernelPath.Brk => "brk",
        KernelPath.ThreadCreate => "thread_create",
        KernelPath.ThreadJoin => "thread_join",
        KernelPath.ThreadExit => "thread_exit",
        KernelPath.ThreadYield => "thread_yield",
        KernelPath.ThreadSleep => "thread_sleep",
        KernelPath.ThreadWakeup => "thread_wakeup",
        KernelPath.SyncCreate => "sync_object_create",
        KernelPath.SyncDestroy => "sync_object_destroy",
        KernelPath.SyncDown => "sync_object_down",
        KernelPath.SyncUp => "sync_object_up",
        KernelPath.ConditionWait => "condition_wait",
        KernelPath.ConditionSignal => "condition_signal",
        KernelPath.MailboxOpen => "mailbox_open",
        KernelPath.MailboxWrite => "mailbox_write",
        KernelPath.MailboxRead => "mailbox_read",
        KernelPath.MailboxClose => "mailbox_close",
        KernelPath.PortalOpen => "portal_open",
        KernelPath.PortalWrite => "portal_write",
        KernelPath.PortalRead => "portal_read",
        KernelPath.PortalClose => "portal_close",
        KernelPath.SyncPointOpen => "sync_point_open",
        KernelPath.SyncPointSignal => "sync_point_signal",
        KernelPath.SyncPointWait => "sync_point_wait",
        KernelPath.SyncPointClose => "sync_point_close",
        KernelPath.Service => "service_request",
        KernelPath.Migrate => "migrate",
        KernelPath.KernelPageAlloc => "kernel_page_alloc",
        KernelPath.KernelPageFree => "kernel_page_free",
        KernelPath.FrameAlloc => "frame_alloc",
        KernelPath.FrameFree => "frame_free",
        KernelPath.PageZero => "page_zero",
        KernelPath.PageMap => "page_map",
        KernelPath.NocEvent => "noc_event",
        KernelPath.MigrationFreeze => "migration_freeze",
        KernelPath.MigrationRestore => "migration_restore",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "no such kernel path"),
    };

    private static KernelRoutine[] RoutinesFor(KernelPath path) => path switch
    {
        KernelPath.CallTrap => [KernelRoutine.KcallStub, KernelRoutine.HandleSyscall, KernelRoutine.LeaveKernel],
        KernelPath.CallDecode => [KernelRoutine.DoKcall],
        KernelPath.FaultTrap => [KernelRoutine.ExceptionStub, KernelRoutine.DoException, KernelRoutine.ExceptionDefault, KernelRoutine.LeaveKernel],
        KernelPath.Preemption => [KernelRoutine.InterruptStub, KernelRoutine.DoInterrupt, KernelRoutine.TimerHandler, KernelRoutine.Schedule, KernelRoutine.ContextSwitch, KernelRoutine.LeaveKernel],
        KernelPath.Identity => [KernelRoutine.KcallThreadGetId, KernelRoutine.ThreadGetCurrent],
        KernelPath.ConsoleWrite => [KernelRoutine.KcallWrite, KernelRoutine.Kputs, KernelRoutine.StdoutWrite],
        KernelPath.Brk => [KernelRoutine.KcallVmctrl, KernelRoutine.VmemMap],
        KernelPath.ThreadCreate => [KernelRoutine.KcallThreadCreate, KernelRoutine.ThreadCreate, KernelRoutine.ContextCreate, KernelRoutine.UthreadForgeStack],
        KernelPath.ThreadJoin => [KernelRoutine.KcallThreadJoin, KernelRoutine.ThreadJoin],
        KernelPath.ThreadExit => [KernelRoutine.KcallThreadExit, KernelRoutine.ThreadExit, KernelRoutine.ThreadFree],
        KernelPath.ThreadYield => [KernelRoutine.KcallThreadYield, KernelRoutine.ThreadYield],
        KernelPath.ThreadSleep => [KernelRoutine.ThreadSleep],
        KernelPath.ThreadWakeup => [KernelRoutine.ThreadWakeup],
        KernelPath.SyncCreate => [KernelRoutine.KcallSemget, KernelRoutine.SemaphoreCreate],
        KernelPath.SyncDestroy => [KernelRoutine.KcallSemctl, KernelRoutine.SemaphoreDelete],
        KernelPath.SyncDown => [KernelRoutine.KcallSemop, KernelRoutine.SemaphoreDown],
        KernelPath.SyncUp => [KernelRoutine.KcallSemop, KernelRoutine.SemaphoreUp],
        KernelPath.ConditionWait => [KernelRoutine.KcallSemop, KernelRoutine.ConditionWait],
        KernelPath.ConditionSignal => [KernelRoutine.KcallSemop, KernelRoutine.ConditionBroadcast],
        KernelPath.MailboxOpen => [KernelRoutine.DoMailboxCreate, KernelRoutine.MailboxGet, KernelRoutine.MailboxAssign],
        KernelPath.MailboxWrite => [KernelRoutine.DoMailboxWrite, KernelRoutine.MailboxPush],
        KernelPath.MailboxRead => [KernelRoutine.DoMailboxRead, KernelRoutine.MailboxPop],
        KernelPath.MailboxClose => [KernelRoutine.DoMailboxClose, KernelRoutine.MailboxUnlink],
        KernelPath.PortalOpen => [KernelRoutine.PortalOpen],
        KernelPath.PortalWrite => [KernelRoutine.PortalWrite],
        KernelPath.PortalRead => [KernelRoutine.PortalRead],
        KernelPath.PortalClose => [KernelRoutine.PortalClose],
        KernelPath.SyncPointOpen => [KernelRoutine.SyncPointOpen],
        KernelPath.SyncPointSignal => [KernelRoutine.SyncPointSignal],
        KernelPath.SyncPointWait => [KernelRoutine.SyncPointWait],
        KernelPath.SyncPointClose => [KernelRoutine.SyncPointClose],
        KernelPath.Service => [KernelRoutine.ServiceRequest],
        KernelPath.Migrate => [KernelRoutine.MigrateCall],
        KernelPath.KernelPageAlloc => [KernelRoutine.KpageGet, KernelRoutine.BitmapFirstFree],
        KernelPath.KernelPageFree => [KernelRoutine.KpagePut],
        KernelPath.FrameAlloc => [KernelRoutine.FrameAlloc, KernelRoutine.BitmapFirstFree],
        KernelPath.FrameFree => [KernelRoutine.FrameFree],
        KernelPath.PageZero => [KernelRoutine.Memset],
        KernelPath.PageMap => [KernelRoutine.UpageMap, KernelRoutine.MmuPageMap],
        KernelPath.NocEvent => [KernelRoutine.InterruptStub, KernelRoutine.DoInterrupt, KernelRoutine.LeaveKernel],
        KernelPath.MigrationFreeze => [KernelRoutine.MigrationFreeze],
        KernelPath.MigrationRestore => [KernelRoutine.MigrationRestore],
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "no such kernel path"),
    };

    private static KernelRoutine[][] BuildPaths()
    {
        var paths = new KernelRoutine[PathCount][];
        for (int p = 0; p < PathCount; p++)
        {
            paths[p] = RoutinesFor((KernelPath)p);
        }

        return paths;
    }

    private static int[] Sum(Func<KernelRoutineInfo, int> count)
    {
        var sums = new int[PathCount];
        for (int p = 0; p < PathCount; p++)
        {
            foreach (KernelRoutine r in Paths[p])
            {
                sums[p] += count(Routines[(int)r]);
            }
        }

        return sums;
    }

    private static int[] BuildOffsets()
    {
        var offsets = new int[Routines.Length];
        int cursor = 0;
        for (int r = 0; r < Routines.Length; r++)
        {
            offsets[r] = cursor;
            cursor = (cursor + Routines[r].Bytes + Alignment - 1) / Alignment * Alignment;
        }

        return offsets;
    }
}

/// <summary>What a cluster's kernel ran of one <see cref="KernelPath"/>: how often, the instructions and conditional branches that makes, and its kernel I$ counts.</summary>
public readonly record struct KernelPathCounts(ulong Executions, ulong Instructions, ulong Branches, Nanvix.Arch.Cache.CacheStatistics Fetches);
