using Nanvix.Arch.Cache;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>
/// One core running RV32IMA user code: a predecoding interpreter with an Sv32 MMU, modeled cycles and optional cache
/// models. The kernel keeps each thread's <see cref="RegisterContext"/> (in cluster memory) and lends it to
/// <see cref="Run"/> for a quantum; nothing of the user thread stays in the core between runs except the TLB, the
/// caches and the LR reservation.
/// <para>Choices where the RISC-V spec leaves room, all of them tested:</para>
/// <list type="bullet">
/// <item>Misaligned loads, stores and atomics trap (cause 4 or 6, tval = the address), like a strict core with no
/// misaligned-access support; a jump or taken branch to an address that is not 4-byte aligned traps with cause 0 at
/// the jump (tval = the target). No C extension: 16-bit encodings are illegal instructions.</item>
/// <item>A trap leaves the context's pc at the trapping instruction, which does not retire and costs no execution
/// cycles (its I$ miss, when caches are modeled, is counted: the fetch happened); the kernel charges trap entry
/// itself. For ECALL the kernel advances pc by 4. Registers written before the trap in the same run stay written.</item>
/// <item>LR.W reserves one physical word, replacing any earlier reservation of this core. SC.W succeeds (rd = 0) only
/// if this core still holds a reservation on exactly that word; it drops the reservation whether it succeeds or not.
/// A store to the reserved word by any core on the same <see cref="MemoryBus"/> (this one included, AMOs and other
/// cores' successful SCs included) breaks it. A kernel that switches threads calls <see cref="ClearReservation"/>.</item>
/// <item>Counters: cycle and time read <see cref="Cycles"/> + <see cref="CounterOffset"/>, instret reads
/// <see cref="Retired"/>, all as counted before the reading instruction. They are read-only: CSRRW, or CSRRS/CSRRC
/// with a non-zero source, on them is an illegal instruction (privileged spec 2.1); so is any other CSR.</item>
/// <item>Self-modifying code: a store into a word that was predecoded invalidates it, so the new instruction runs
/// even without FENCE.I; FENCE.I invalidates everything predecoded.</item>
/// <item>Engines (<see cref="Engine"/>): <see cref="HartEngine.Step"/> is the reference; <see cref="HartEngine.Fast"/>
/// (the default, basic blocks: <c>Hart.Blocks.cs</c>) must give byte-identical results at every instruction, TLB state
/// and the branch counts (<see cref="BranchesTaken"/>, <see cref="BranchesNotTaken"/>) included, and differential tests
/// hold it to that. A core whose <see cref="CycleCosts"/> differ from those of the
/// first core of its bus (blocks carry base cycles) steps.</item>
/// </list>
/// <para>This file holds the core's state, its caches and counters and the entry <see cref="Run"/>; the stepping loop is
/// in <c>Hart.Step.cs</c>, the block engine in <c>Hart.Blocks.cs</c>, the cache-model accesses both engines make in
/// <c>Hart.CacheAccess.cs</c>, and what instructions compute (register access, JALR target, AMO, division) in
/// <c>Hart.Operations.cs</c>.</para>
/// </summary>
public sealed partial class Hart
{
    private const uint PageMask = ~Sv32.PageOffsetMask;

    /// <summary>No cache line: line numbers are physical addresses shifted right, never all ones.</summary>
    private const uint NoLine = uint.MaxValue;

    private readonly MemoryBus _bus;
    private readonly int _busIndex;
    private readonly Sv32Mmu _mmu;
    private readonly CycleCosts _costs;
    private CacheModel? _instructionCache;
    private CacheModel? _dataCache;
    private int _fetchLineShift;
    private int _dataLineShift;
    private UserMissLog? _userMisses;

    // True when this core may run basic blocks (HartEngine.Fast): blocks carry base cycles computed with the costs of the
    // bus's first core, so a core of other costs steps.
    private readonly bool _blocks;

    /// <param name="bus">The physical memory and code/reservation state shared with the other cores of that memory.</param>
    /// <param name="costs">Cycle costs; <see cref="CycleCosts.Mppa256"/> when null.</param>
    public Hart(MemoryBus bus, CycleCosts? costs = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _busIndex = bus.Attach();
        _mmu = new Sv32Mmu(bus.Memory);
        _costs = costs ?? CycleCosts.Mppa256;
        _blocks = BasicBlocks.Supports(_costs) && _bus.SharesBlockCosts(_costs);
    }

    /// <summary>The MMU: bare or Sv32, root table, TLB flush.</summary>
    public Sv32Mmu Mmu => _mmu;

    /// <summary>The memory shared with other cores.</summary>
    public MemoryBus Bus => _bus;

    public CycleCosts Costs => _costs;

    /// <summary>Modeled cycles of this core so far; the kernel adds its own costs with <see cref="AddCycles"/>.</summary>
    public ulong Cycles { get; set; }

    /// <summary>Instructions retired by this core so far.</summary>
    public ulong Retired { get; set; }

    /// <summary>
    /// Conditional branches (BEQ, BNE, BLT, BGE, BLTU, BGEU) retired by this core so far that were taken; like
    /// <see cref="Retired"/>, a branch that traps (a misaligned target) does not count. The core runs user code only.
    /// </summary>
    public ulong BranchesTaken { get; set; }

    /// <summary>Conditional branches retired by this core so far that were not taken (they went on to pc + 4).</summary>
    public ulong BranchesNotTaken { get; set; }

    /// <summary>How this core executes (<see cref="HartEngine.Fast"/> unless set); every engine gives the same results.</summary>
    public HartEngine Engine { get; set; }

    /// <summary>Added to <see cref="Cycles"/> when user code reads cycle or time (e.g. to keep a migrated process's clock monotonic).</summary>
    public ulong CounterOffset { get; set; }

    /// <summary>The I$ model, or null when cache models are off.</summary>
    public CacheModel? InstructionCache => _instructionCache;

    /// <summary>The D$ model, or null when cache models are off.</summary>
    public CacheModel? DataCache => _dataCache;

    /// <summary>
    /// Where every user I$ and D$ miss is logged with the pc of the instruction that made it (<c>--annotate</c>), or
    /// null; only with cache models on. Runs with a log go through interpreter loops of their own, so a core without one
    /// runs exactly the code it ran before logs existed.
    /// </summary>
    public UserMissLog? UserMisses
    {
        get => _userMisses;
        set => _userMisses = value;
    }

    /// <summary>Switches cache models on (fresh and cold) with the given geometries; misses then cost <see cref="CycleCosts.CacheMissPenalty"/>.</summary>
    public void EnableCaches(CacheGeometry instruction, CacheGeometry data)
    {
        _instructionCache = new CacheModel(instruction, _bus.Memory.Size);
        _dataCache = new CacheModel(data, _bus.Memory.Size);
        _fetchLineShift = _instructionCache.LineShift;
        _dataLineShift = _dataCache.LineShift;
    }

    /// <summary>Switches cache models off; runs then pay nothing for them.</summary>
    public void DisableCaches()
    {
        _instructionCache = null;
        _dataCache = null;
    }

    /// <summary>Adds kernel-side cycles (trap entry, kernel-call work, NoC waits) to this core's count.</summary>
    public void AddCycles(ulong cycles) => Cycles += cycles;

    /// <summary>
    /// Accounts one kernel data access at <paramref name="physicalAddress"/> in the D$ model (counted as
    /// <see cref="AccessSource.Kernel"/>), adding the miss penalty to <see cref="Cycles"/>; nothing when caches are off.
    /// </summary>
    [KernelHotPath]
    public void AccountKernelAccess(uint physicalAddress, bool isWrite)
    {
        if (_dataCache is not null && _dataCache.Access(physicalAddress, isWrite, AccessSource.Kernel))
        {
            Cycles += _costs.CacheMissPenalty;
        }
    }

    /// <summary>
    /// Accounts the kernel's fetch of the I$ line holding <paramref name="physicalAddress"/> (kernel text, counted as
    /// <see cref="AccessSource.Kernel"/>), adding the miss penalty to <see cref="Cycles"/>; nothing when caches are off.
    /// </summary>
    [KernelHotPath]
    public void AccountKernelFetch(uint physicalAddress)
    {
        if (_instructionCache is not null && _instructionCache.Access(physicalAddress, false, AccessSource.Kernel))
        {
            Cycles += _costs.CacheMissPenalty;
        }
    }

    /// <summary>Drops this core's LR reservation; the kernel calls it when it switches threads.</summary>
    public void ClearReservation() => _bus.ClearReservation(_busIndex);

    /// <summary>
    /// Runs the thread whose registers are <paramref name="context"/> for at most <paramref name="maxInstructions"/>
    /// instructions, or until a trap. On return the context holds the registers and the pc to resume at (the
    /// trapping instruction after a trap). Allocates nothing, except once for each code page executed for the first time.
    /// </summary>
    [KernelHotPath]
    public RunResult Run(ref RegisterContext context, ulong maxInstructions)
    {
        if (Engine == HartEngine.Step || !_blocks)
        {
            FetchWindow fetch = FetchWindow.None;
            if (_dataCache is null)
            {
                return Execute<CachesOff>(ref context, maxInstructions, ref fetch);
            }

            if (Engine == HartEngine.Step)
            {
                return _userMisses is null
                    ? Execute<CachesOn>(ref context, maxInstructions, ref fetch)
                    : Execute<CachesOnLogged>(ref context, maxInstructions, ref fetch);
            }

            return _userMisses is null
                ? Execute<CachesOnRepeatedLineHits>(ref context, maxInstructions, ref fetch)
                : Execute<CachesOnRepeatedLineHitsLogged>(ref context, maxInstructions, ref fetch);
        }

        if (_dataCache is null)
        {
            return ExecuteBlocks<CachesOff>(ref context, maxInstructions);
        }

        return _userMisses is null
            ? ExecuteBlocks<CachesOnRepeatedLineHits>(ref context, maxInstructions)
            : ExecuteBlocks<CachesOnRepeatedLineHitsLogged>(ref context, maxInstructions);
    }
}
