using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel;

/// <summary>The microkernel of one cluster, whatever its process layout: what the command line, tests and benchmarks use.</summary>
public interface IClusterKernel
{
    ICluster Cluster { get; }

    ProcessLayoutKind Layout { get; }

    /// <summary>Where the per-process state of this cluster lives in kernel data.</summary>
    KernelDataPlan Plan { get; }

    PageAllocator Frames { get; }

    PageAllocator KernelPages { get; }

    MemoryBus Bus { get; }

    IReadOnlyList<ProcessExit> Exits { get; }

    KernelStatistics Statistics { get; }

    bool HasLiveProcesses { get; }

    /// <summary>True when process <paramref name="pid"/> lives on this cluster.</summary>
    bool HasProcess(int pid);

    /// <summary>The core model of core <paramref name="core"/>.</summary>
    Hart Core(int core);

    /// <summary>Switches the modeled I$ and D$ on for every core of the cluster; from then on misses cost cycles.</summary>
    void EnableCaches(CacheGeometry instruction, CacheGeometry data);

    /// <summary>Loads <paramref name="image"/> as a new process with <paramref name="arguments"/> as its argv; returns its pid.</summary>
    /// <exception cref="KernelException">No free process slot, or not enough memory; the cluster is left as it was.</exception>
    int Spawn(ElfImage image, IReadOnlyList<string> arguments);

    /// <summary>As <see cref="Spawn(ElfImage, IReadOnlyList{string})"/>, with the main thread ready no earlier than cycle <paramref name="notBefore"/>.</summary>
    int Spawn(ElfImage image, IReadOnlyList<string> arguments, ulong notBefore);

    /// <summary>Runs one quantum of the thread that can start soonest; false when no thread is ready.</summary>
    bool Step();

    /// <summary>The simulated cycle at which <see cref="Step"/> would start its quantum; false when no thread is ready.</summary>
    bool TryPeek(out ulong start);

    /// <summary>
    /// Answers ECONNRESET to every thread that waits on a portal or sync point whose peer node has no live process
    /// left (<paramref name="nodeHasProcess"/> tells); returns how many were answered. Called when nothing else can
    /// move, so that a process that ended does not leave its peers waiting forever.
    /// </summary>
    int FailWaitsOnEndedPeers(Func<int, bool> nodeHasProcess);

    /// <summary>
    /// Freezes process <paramref name="pid"/> between two quanta and copies out everything it is (see
    /// <see cref="Migration.ProcessSnapshot"/>); the process stays here, untouched, until <see cref="Evict"/>. Null,
    /// with the reason, when it cannot move now (no such process here, a thread inside a NoC operation, IKC
    /// descriptors open).
    /// </summary>
    Migration.ProcessSnapshot? Freeze(int pid, out string? refusal);

    /// <summary>Recreates a frozen process here, its threads ready from <paramref name="readyAt"/>; returns its pid.</summary>
    /// <exception cref="KernelException">No slot, frames or kernel pages for it; nothing is left half-made.</exception>
    int Restore(Migration.ProcessSnapshot snapshot, ulong readyAt);

    /// <summary>A thread here asked (kernel call <c>migrate</c>) to move its process to NoC node <paramref name="node"/>; false when none did.</summary>
    bool TryTakeMigrationRequest(out int pid, out int node);

    /// <summary>Answers the threads of <paramref name="pid"/> that wait for their move with <paramref name="result"/> (0, or a negative errno).</summary>
    void CompleteMigrationRequest(int pid, int result);

    /// <summary>Frees everything process <paramref name="pid"/> held here, without ending it (it lives on elsewhere).</summary>
    void Evict(int pid);

    /// <summary>Kills every live process of the cluster whose threads are all blocked, saying who waits on whom.</summary>
    void KillDeadlocked();

    /// <summary>Runs every live process until all have ended; deadlocked processes are killed with a diagnostic.</summary>
    IReadOnlyList<ProcessExit> RunToCompletion();
}
