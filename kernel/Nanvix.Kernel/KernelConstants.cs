namespace Nanvix.Kernel;

/// <summary>
/// The kernel's constants, one table. Sizes follow Nanvix where it fixes them (sources per line); modeled costs the
/// real kernel never published are marked as assumptions.
/// </summary>
public static class KernelConstants
{
    /// <summary>Page and frame size: 4 KB. Source: nanvix/hal core/k1b/mmu.h.</summary>
    public const uint PageSize = 4096;

    /// <summary>Top of the main thread's user stack (exclusive). Our choice: high in the user half, far above any program image.</summary>
    public const uint UserStackTop = 0x8000_0000;

    /// <summary>User stack of the main thread: 8 KB, the stack of the process the seed migrated (Vanz 2022, section 5).</summary>
    public const uint MainStackBytes = 8 * 1024;

    /// <summary>Unmapped pages below each user stack, so that an overflow faults instead of corrupting the heap.</summary>
    public const uint GuardPages = 1;

    /// <summary>Threads per process on a compute cluster, the main thread included. Source: Nanvix microkernel thread.h (THREAD_MAX).</summary>
    public const int MaxThreads = 18;

    /// <summary>User stack of every thread but the main one: 4 KB. Source: Nanvix microkernel thread.h.</summary>
    public const uint ThreadStackBytes = 4 * 1024;

    /// <summary>Cores a cluster may have; the kernel-call board has one slot per core.</summary>
    public const int MaxCores = 16;

    /// <summary>Mutexes, semaphores and condition variables a process may have of each kind.</summary>
    public const int MaxSyncObjects = 16;

    /// <summary>Cycles for a slave core to post a kernel call on the board and for the master to see it (an IPI). Assumption.</summary>
    public const ulong SysboardPostCycles = 100;

    /// <summary>Cycles for the master's answer to reach the calling core. Assumption.</summary>
    public const ulong SysboardReplyCycles = 100;

    /// <summary>Cycles of the kernel's own work to serve one kernel call, beside copies and modeled cache misses. Assumption.</summary>
    public const ulong KernelCallCycles = 150;

    /// <summary>Processes one compute cluster can hold at once (Nanvix ran one; the seed's future work asks for several).</summary>
    public const int MaxProcesses = 4;

    /// <summary>Instructions a core runs before the scheduler looks again (round-robin quantum).</summary>
    public const ulong QuantumInstructions = 10_000;

    /// <summary>Cycles of one trap into the kernel and back (entry, register save/restore, return). Assumption for the k1b.</summary>
    public const ulong TrapCycles = 60;

    /// <summary>Cycles the kernel spends per 4-byte word it copies between user memory and a kernel buffer. Assumption.</summary>
    public const ulong CopyCyclesPerWord = 1;

    /// <summary>IKC descriptors (mailboxes, portals and sync points together) of one process on a cluster: its part of the IKC table.</summary>
    public const int IkcDescriptorsPerProcess = 16;

    /// <summary>Entries a cluster keeps for the IKC state processes that moved away left behind (mailbox forwards, sync relays).</summary>
    public const int IkcNodeEntries = 16;

    /// <summary>Ports of a node's virtual mailboxes: 0..63.</summary>
    public const int MailboxPorts = 64;

    /// <summary>Bytes the kernel puts before a user message in a hardware mailbox payload: length, ports, source node.</summary>
    public const int MailboxHeaderBytes = 8;

    /// <summary>Bytes of one queued message in a mailbox's kernel page (header and payload).</summary>
    public const int MailboxSlotBytes = 128;

    /// <summary>Port of every node reserved for the kernel: services send their answers there.</summary>
    public const int KernelPort = 63;

    /// <summary>Longest name the name service keeps (without its terminating zero).</summary>
    public const int MaxNameLength = 39;

    /// <summary>Names the name service keeps at once.</summary>
    public const int MaxNames = 64;

    /// <summary>Cycles the name service on IO0 spends on one request (a table walk and an answer). Assumption.</summary>
    public const ulong NameServiceCycles = 2_000;

    /// <summary>Cycles the spawn service on IO0 spends on one request, besides sending the image. Assumption.</summary>
    public const ulong SpawnServiceCycles = 20_000;

    /// <summary>First process id; 0 is the kernel.</summary>
    public const int FirstPid = 1;
}
