using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;

namespace Nanvix.Hal.Processor;

/// <summary>
/// One core of a cluster: the interpreter of RISC-V user code that the kernel runs a thread on for a quantum, with
/// its MMU root and TLB, its modeled I$ and D$, and its counters. The kernel never builds or reaches the interpreter
/// itself; this interface is all it sees of a core (as Nanvix's <c>core_*</c> functions of the HAL).
/// </summary>
public interface ICore
{
    /// <summary>Number of the core inside its cluster; 0 is the master core.</summary>
    int Id { get; }

    ICluster Cluster { get; }

    /// <summary>True for the core that runs the kernel's master loop.</summary>
    bool IsMaster { get; }

    /// <summary>Modeled cycles of this core so far (its clock); the kernel moves it forward when a thread is ready later.</summary>
    ulong Cycles { get; set; }

    /// <summary>Instructions this core retired so far.</summary>
    ulong Retired { get; }

    /// <summary>
    /// Conditional branches of user code (BEQ, BNE, BLT, BGE, BLTU, BGEU) this core retired so far that were taken; a
    /// branch that traps is not retired and not counted. Per core, like <see cref="Retired"/>, the same in every engine.
    /// </summary>
    ulong UserBranchesTaken { get; }

    /// <summary>Conditional branches of user code this core retired so far that were not taken.</summary>
    ulong UserBranchesNotTaken { get; }

    /// <summary>Adds the kernel's own cycles (trap entry, kernel-call work) to this core's clock.</summary>
    void AddCycles(ulong cycles);

    /// <summary>How the core executes (fast basic blocks unless set); every engine gives the same results.</summary>
    HartEngine Engine { get; set; }

    /// <summary>The I$ model, or null when the cache model is off.</summary>
    CacheModel? InstructionCache { get; }

    /// <summary>The D$ model, or null when the cache model is off.</summary>
    CacheModel? DataCache { get; }

    /// <summary>
    /// Where the core logs every user I$ and D$ miss with the pc that made it (<c>--annotate</c>; with the cache model
    /// on), or null: a core without a log runs the interpreter it runs without one, at no cost.
    /// </summary>
    UserMissLog? UserMisses { get; set; }

    /// <summary>Switches the cache models on, cold, with these geometries; from then on misses cost cycles.</summary>
    void EnableCaches(CacheGeometry instruction, CacheGeometry data);

    /// <summary>Counts one kernel data access at <paramref name="physicalAddress"/> in the D$ (a miss costs cycles); nothing when the cache model is off.</summary>
    void AccountKernelAccess(uint physicalAddress, bool isWrite);

    /// <summary>Counts the kernel's fetch of the I$ line at <paramref name="physicalAddress"/> (kernel text), miss penalty included; nothing with caches off.</summary>
    void AccountKernelFetch(uint physicalAddress);

    /// <summary>
    /// Runs the thread whose registers are <paramref name="context"/> for at most <paramref name="maxInstructions"/>
    /// instructions or until it traps, after dropping this core's LR reservation (another thread may have run here).
    /// </summary>
    RunResult RunQuantum(ref RegisterContext context, ulong maxInstructions);

    /// <summary>Translates through the Sv32 page table whose root is page <paramref name="rootPage"/> (no change when it already does).</summary>
    void UseAddressSpace(uint rootPage);

    /// <summary>Stops translating through <paramref name="rootPage"/> if this core does (the table is gone): bare until the next address space.</summary>
    void ReleaseAddressSpace(uint rootPage);

    /// <summary>Drops the TLB: a page was unmapped and the core may not keep using its old frame.</summary>
    void FlushTlb();
}
