using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Isa;
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
/// included, and differential tests hold it to that. A core whose <see cref="CycleCosts"/> differ from those of the
/// first core of its bus (blocks carry base cycles) steps.</item>
/// </list>
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

    /// <summary>How this core executes (<see cref="HartEngine.Fast"/> unless set); every engine gives the same results.</summary>
    public HartEngine Engine { get; set; }

    /// <summary>Added to <see cref="Cycles"/> when user code reads cycle or time (e.g. to keep a migrated process's clock monotonic).</summary>
    public ulong CounterOffset { get; set; }

    /// <summary>The I$ model, or null when cache models are off.</summary>
    public CacheModel? InstructionCache => _instructionCache;

    /// <summary>The D$ model, or null when cache models are off.</summary>
    public CacheModel? DataCache => _dataCache;

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
            return _dataCache is null
                ? Execute<CachesOff>(ref context, maxInstructions, ref fetch)
                : Engine == HartEngine.Step
                    ? Execute<CachesOn>(ref context, maxInstructions, ref fetch)
                    : Execute<CachesOnRepeatedLineHits>(ref context, maxInstructions, ref fetch);
        }

        return _dataCache is null
            ? ExecuteBlocks<CachesOff>(ref context, maxInstructions)
            : ExecuteBlocks<CachesOnRepeatedLineHits>(ref context, maxInstructions);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref uint Reg(ref uint x, byte index) => ref Unsafe.Add(ref x, index);

    /// <summary>JALR's target, rs1 + imm with bit 0 cleared; false when it is not 4-byte aligned (the jump traps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool JumpTarget(uint rs1, int imm, out uint target)
    {
        target = (rs1 + (uint)imm) & ~1u;
        return (target & 2) == 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint DataMiss(uint physicalAddress, bool isWrite) =>
        _dataCache!.Access(physicalAddress, isWrite, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>
    /// A user data access through the D$ model, or counted in <paramref name="hits"/> when it is to the model's last
    /// line and <typeparamref name="TCaches"/> counts such hits itself; a stall is added to <paramref name="cycles"/>
    /// (a hit leaves them alone: no add of a zero stall on the common path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DataAccess<TCaches>(uint physicalAddress, bool isWrite, ref uint lastLine, ref ulong hits, ref ulong cycles)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits)
        {
            if ((physicalAddress >> _dataLineShift) == lastLine && !(isWrite && _dataCache!.AllocatesOnWrite))
            {
                hits++;
                return;
            }

            cycles += DataMiss(physicalAddress, isWrite);
            lastLine = _dataCache!.LastLine;
            return;
        }

        cycles += DataMiss(physicalAddress, isWrite);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchMiss(uint physicalAddress) =>
        _instructionCache!.Access(physicalAddress, false, AccessSource.User) ? _costs.CacheMissPenalty : 0;

    /// <summary>An instruction fetch through the I$ model, or counted in <paramref name="hits"/> as for <see cref="DataAccess"/>; the stall cycles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint FetchAccess<TCaches>(uint physicalAddress, ref uint lastLine, ref ulong hits)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits && (physicalAddress >> _fetchLineShift) == lastLine)
        {
            hits++;
            return 0;
        }

        uint stall = FetchMiss(physicalAddress);
        if (TCaches.CountsRepeatedLineHits)
        {
            lastLine = _instructionCache!.LastLine;
        }

        return stall;
    }

    private static int Amo(InstructionKind kind, uint old, uint operand) => (int)(kind switch
    {
        InstructionKind.AmoSwapW => operand,
        InstructionKind.AmoAddW => old + operand,
        InstructionKind.AmoXorW => old ^ operand,
        InstructionKind.AmoAndW => old & operand,
        InstructionKind.AmoOrW => old | operand,
        InstructionKind.AmoMinW => (int)old < (int)operand ? old : operand,
        InstructionKind.AmoMaxW => (int)old > (int)operand ? old : operand,
        InstructionKind.AmoMinuW => old < operand ? old : operand,
        _ => old > operand ? old : operand,
    });

    /// <summary>
    /// The stepping loop: the reference engine, and what the block engine runs the instructions it leaves aside with;
    /// <paramref name="fetch"/> is the code page in hand when the run starts and when it ends.
    /// </summary>
    [KernelHotPath]
    private RunResult Execute<TCaches>(ref RegisterContext context, ulong maxInstructions, ref FetchWindow fetch)
        where TCaches : struct, ICacheMode
    {
        ref uint x = ref Unsafe.As<RegisterContext, uint>(ref context);
        Sv32Mmu mmu = _mmu;
        byte[] pageFlags = _bus.PageFlags;
        CycleCosts costs = _costs;
        uint aluCost = costs.Alu;
        uint branchCost = costs.Branch;
        uint jumpCost = costs.Jump;
        uint loadCost = costs.Load;
        uint storeCost = costs.Store;
        ulong start = Retired;
        ulong retired = start;
        ulong cycles = Cycles;
        ulong limit = maxInstructions > ulong.MaxValue - start ? ulong.MaxValue : start + maxInstructions;
        uint pc = context.Pc;
        uint fetchPage = fetch.Page;
        nint fetchHost = fetch.Host;
        uint fetchPhysical = fetch.Physical;
        DecodedInstruction[] code = fetch.Code;

        // Repeated-line hits (CachesOnRepeatedLineHits only): the line each model accessed last, as of this run's own
        // accesses (nothing else touches the models during a run), and the hits counted here, handed over at the end.
        uint fetchLine = NoLine;
        ulong fetchHits = 0;
        uint dataLine = NoLine;
        ulong dataHits = 0;
        TrapCause cause;
        uint tval;

        x = 0;
        if ((pc & 3) != 0)
        {
            cause = TrapCause.InstructionAddressMisaligned;
            tval = pc;
            goto Trap;
        }

        while (retired < limit)
        {
            if ((pc & PageMask) != fetchPage)
            {
                ref TlbEntry codePage = ref mmu.Translate(pc, AccessType.Execute, out cause);
                if (Unsafe.IsNullRef(ref codePage))
                {
                    tval = pc;
                    goto Trap;
                }

                fetchPage = pc & PageMask;
                fetchHost = codePage.Host;
                fetchPhysical = codePage.PhysicalBase;
                code = _bus.CodePage(codePage.PhysicalPage);
            }

            uint fetchOffset = pc & Sv32.PageOffsetMask;
            ref DecodedInstruction slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(code), (nint)(fetchOffset >> 2));
            if (slot.Kind == InstructionKind.Undecoded)
            {
                slot = InstructionDecoder.Decode(HostMemory.Read32(fetchHost, fetchOffset));
            }

            // A copy: a store below may invalidate this very slot.
            DecodedInstruction d = slot;
            if (TCaches.Enabled)
            {
                cycles += FetchAccess<TCaches>(fetchPhysical | fetchOffset, ref fetchLine, ref fetchHits);
            }

            switch (d.Kind)
            {
                case InstructionKind.Lui:
                    Reg(ref x, d.Rd) = (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Auipc:
                    Reg(ref x, d.Rd) = pc + (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Jal:
                    if ((d.Imm & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = pc + (uint)d.Imm;
                        goto Trap;
                    }

                    Reg(ref x, d.Rd) = pc + 4;
                    pc += (uint)d.Imm;
                    cycles += jumpCost;
                    break;
                case InstructionKind.Jalr:
                {
                    if (!JumpTarget(Reg(ref x, d.Rs1), d.Imm, out uint target))
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = target;
                        goto Trap;
                    }

                    Reg(ref x, d.Rd) = pc + 4;
                    pc = target;
                    cycles += jumpCost;
                    break;
                }

                case InstructionKind.Beq:
                case InstructionKind.Bne:
                case InstructionKind.Blt:
                case InstructionKind.Bge:
                case InstructionKind.Bltu:
                case InstructionKind.Bgeu:
                {
                    uint a = Reg(ref x, d.Rs1);
                    uint b = Reg(ref x, d.Rs2);
                    bool taken = d.Kind switch
                    {
                        InstructionKind.Beq => a == b,
                        InstructionKind.Bne => a != b,
                        InstructionKind.Blt => (int)a < (int)b,
                        InstructionKind.Bge => (int)a >= (int)b,
                        InstructionKind.Bltu => a < b,
                        _ => a >= b,
                    };
                    cycles += branchCost;
                    if (!taken)
                    {
                        pc += 4;
                        break;
                    }

                    if ((d.Imm & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = pc + (uint)d.Imm;
                        goto Trap;
                    }

                    pc += (uint)d.Imm;
                    break;
                }

                case InstructionKind.Lb:
                case InstructionKind.Lh:
                case InstructionKind.Lw:
                case InstructionKind.Lbu:
                case InstructionKind.Lhu:
                {
                    uint va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    uint alignMask = d.Kind switch
                    {
                        InstructionKind.Lw => 3u,
                        InstructionKind.Lh or InstructionKind.Lhu => 1u,
                        _ => 0u,
                    };
                    if ((va & alignMask) != 0)
                    {
                        cause = TrapCause.LoadAddressMisaligned;
                        tval = va;
                        goto Trap;
                    }

                    ref TlbEntry page = ref mmu.Translate(va, AccessType.Read, out cause);
                    if (Unsafe.IsNullRef(ref page))
                    {
                        tval = va;
                        goto Trap;
                    }

                    uint offset = va & Sv32.PageOffsetMask;
                    Reg(ref x, d.Rd) = d.Kind switch
                    {
                        InstructionKind.Lw => HostMemory.Read32(page.Host, offset),
                        InstructionKind.Lh => (uint)(short)HostMemory.Read16(page.Host, offset),
                        InstructionKind.Lhu => HostMemory.Read16(page.Host, offset),
                        InstructionKind.Lb => (uint)(sbyte)HostMemory.Read8(page.Host, offset),
                        _ => HostMemory.Read8(page.Host, offset),
                    };
                    if (TCaches.Enabled)
                    {
                        DataAccess<TCaches>(page.PhysicalBase | offset, false, ref dataLine, ref dataHits, ref cycles);
                    }

                    cycles += loadCost;
                    pc += 4;
                    break;
                }

                case InstructionKind.Sb:
                case InstructionKind.Sh:
                case InstructionKind.Sw:
                {
                    uint va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    uint alignMask = d.Kind switch
                    {
                        InstructionKind.Sw => 3u,
                        InstructionKind.Sh => 1u,
                        _ => 0u,
                    };
                    if ((va & alignMask) != 0)
                    {
                        cause = TrapCause.StoreAddressMisaligned;
                        tval = va;
                        goto Trap;
                    }

                    ref TlbEntry page = ref mmu.Translate(va, AccessType.Write, out cause);
                    if (Unsafe.IsNullRef(ref page))
                    {
                        tval = va;
                        goto Trap;
                    }

                    uint offset = va & Sv32.PageOffsetMask;
                    uint value = Reg(ref x, d.Rs2);
                    switch (d.Kind)
                    {
                        case InstructionKind.Sw:
                            HostMemory.Write32(page.Host, offset, value);
                            break;
                        case InstructionKind.Sh:
                            HostMemory.Write16(page.Host, offset, (ushort)value);
                            break;
                        default:
                            HostMemory.Write8(page.Host, offset, (byte)value);
                            break;
                    }

                    if (pageFlags[page.PhysicalPage] != 0)
                    {
                        _bus.OnStore(page.PhysicalBase | offset);
                    }

                    if (TCaches.Enabled)
                    {
                        DataAccess<TCaches>(page.PhysicalBase | offset, true, ref dataLine, ref dataHits, ref cycles);
                    }

                    cycles += storeCost;
                    pc += 4;
                    break;
                }

                case InstructionKind.Addi:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Slti:
                    Reg(ref x, d.Rd) = (int)Reg(ref x, d.Rs1) < d.Imm ? 1u : 0u;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Sltiu:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) < (uint)d.Imm ? 1u : 0u;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Xori:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) ^ (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Ori:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) | (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Andi:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) & (uint)d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Slli:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) << d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Srli:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) >> d.Imm;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Srai:
                    Reg(ref x, d.Rd) = (uint)((int)Reg(ref x, d.Rs1) >> d.Imm);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Add:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Sub:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) - Reg(ref x, d.Rs2);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Sll:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) << (int)(Reg(ref x, d.Rs2) & 31);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Slt:
                    Reg(ref x, d.Rd) = (int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2) ? 1u : 0u;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Sltu:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2) ? 1u : 0u;
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Xor:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) ^ Reg(ref x, d.Rs2);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Srl:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Sra:
                    Reg(ref x, d.Rd) = (uint)((int)Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31));
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.Or:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) | Reg(ref x, d.Rs2);
                    cycles += aluCost;
                    pc += 4;
                    break;
                case InstructionKind.And:
                    Reg(ref x, d.Rd) = Reg(ref x, d.Rs1) & Reg(ref x, d.Rs2);
                    cycles += aluCost;
                    pc += 4;
                    break;

                case InstructionKind.Mul:
                case InstructionKind.Mulh:
                case InstructionKind.Mulhsu:
                case InstructionKind.Mulhu:
                {
                    uint a = Reg(ref x, d.Rs1);
                    uint b = Reg(ref x, d.Rs2);
                    Reg(ref x, d.Rd) = d.Kind switch
                    {
                        InstructionKind.Mul => a * b,
                        InstructionKind.Mulh => (uint)(((long)(int)a * (int)b) >> 32),
                        InstructionKind.Mulhsu => (uint)(((long)(int)a * (long)b) >> 32),
                        _ => (uint)(((ulong)a * b) >> 32),
                    };
                    cycles += costs.Multiply;
                    pc += 4;
                    break;
                }

                case InstructionKind.Div:
                case InstructionKind.Divu:
                case InstructionKind.Rem:
                case InstructionKind.Remu:
                    Reg(ref x, d.Rd) = Divide(d.Kind, Reg(ref x, d.Rs1), Reg(ref x, d.Rs2));
                    cycles += costs.Divide;
                    pc += 4;
                    break;

                case InstructionKind.LrW:
                {
                    uint va = Reg(ref x, d.Rs1);
                    if ((va & 3) != 0)
                    {
                        cause = TrapCause.LoadAddressMisaligned;
                        tval = va;
                        goto Trap;
                    }

                    ref TlbEntry page = ref mmu.Translate(va, AccessType.Read, out cause);
                    if (Unsafe.IsNullRef(ref page))
                    {
                        tval = va;
                        goto Trap;
                    }

                    uint offset = va & Sv32.PageOffsetMask;
                    Reg(ref x, d.Rd) = HostMemory.Read32(page.Host, offset);
                    _bus.Reserve(_busIndex, page.PhysicalBase | offset);
                    if (TCaches.Enabled)
                    {
                        DataAccess<TCaches>(page.PhysicalBase | offset, false, ref dataLine, ref dataHits, ref cycles);
                    }

                    cycles += costs.Atomic;
                    pc += 4;
                    break;
                }

                case InstructionKind.ScW:
                {
                    uint va = Reg(ref x, d.Rs1);
                    if ((va & 3) != 0)
                    {
                        cause = TrapCause.StoreAddressMisaligned;
                        tval = va;
                        goto Trap;
                    }

                    ref TlbEntry page = ref mmu.Translate(va, AccessType.Write, out cause);
                    if (Unsafe.IsNullRef(ref page))
                    {
                        tval = va;
                        goto Trap;
                    }

                    uint physical = page.PhysicalBase | (va & Sv32.PageOffsetMask);
                    if (_bus.ConsumeReservation(_busIndex, physical))
                    {
                        HostMemory.Write32(page.Host, va & Sv32.PageOffsetMask, Reg(ref x, d.Rs2));
                        if (pageFlags[page.PhysicalPage] != 0)
                        {
                            _bus.OnStore(physical);
                        }

                        if (TCaches.Enabled)
                        {
                            DataAccess<TCaches>(physical, true, ref dataLine, ref dataHits, ref cycles);
                        }

                        Reg(ref x, d.Rd) = 0;
                    }
                    else
                    {
                        Reg(ref x, d.Rd) = 1;
                    }

                    cycles += costs.Atomic;
                    pc += 4;
                    break;
                }

                case InstructionKind.AmoSwapW:
                case InstructionKind.AmoAddW:
                case InstructionKind.AmoXorW:
                case InstructionKind.AmoAndW:
                case InstructionKind.AmoOrW:
                case InstructionKind.AmoMinW:
                case InstructionKind.AmoMaxW:
                case InstructionKind.AmoMinuW:
                case InstructionKind.AmoMaxuW:
                {
                    uint va = Reg(ref x, d.Rs1);
                    if ((va & 3) != 0)
                    {
                        cause = TrapCause.StoreAddressMisaligned;
                        tval = va;
                        goto Trap;
                    }

                    ref TlbEntry page = ref mmu.Translate(va, AccessType.Write, out cause);
                    if (Unsafe.IsNullRef(ref page))
                    {
                        tval = va;
                        goto Trap;
                    }

                    uint offset = va & Sv32.PageOffsetMask;
                    uint old = HostMemory.Read32(page.Host, offset);
                    HostMemory.Write32(page.Host, offset, (uint)Amo(d.Kind, old, Reg(ref x, d.Rs2)));
                    Reg(ref x, d.Rd) = old;
                    if (pageFlags[page.PhysicalPage] != 0)
                    {
                        _bus.OnStore(page.PhysicalBase | offset);
                    }

                    if (TCaches.Enabled)
                    {
                        DataAccess<TCaches>(page.PhysicalBase | offset, true, ref dataLine, ref dataHits, ref cycles);
                    }

                    cycles += costs.Atomic;
                    pc += 4;
                    break;
                }

                case InstructionKind.Fence:
                    cycles += costs.System;
                    pc += 4;
                    break;
                case InstructionKind.FenceI:
                    _bus.InvalidateAllCode();
                    _instructionCache?.Invalidate();
                    fetchLine = NoLine;
                    cycles += costs.FenceI;
                    pc += 4;

                    // The predecoded page in hand is stale too: fetch it again, which clears it.
                    fetchPage = 1;
                    break;
                case InstructionKind.CsrRead:
                {
                    ulong counter = (d.Imm & 0x7F) == (CounterCsr.Instret & 0x7F) ? retired : cycles + CounterOffset;
                    Reg(ref x, d.Rd) = (d.Imm & 0x80) != 0 ? (uint)(counter >> 32) : (uint)counter;
                    cycles += costs.System;
                    pc += 4;
                    break;
                }

                case InstructionKind.Ecall:
                    cause = TrapCause.EcallFromUser;
                    tval = 0;
                    goto Trap;
                case InstructionKind.Ebreak:
                    cause = TrapCause.Breakpoint;
                    tval = pc;
                    goto Trap;
                default:
                    cause = TrapCause.IllegalInstruction;
                    tval = (uint)d.Imm;
                    goto Trap;
            }

            x = 0; // writes to x0 are dropped: the register file is written freely, then x0 is cleared.
            retired++;
        }

        x = 0;
        context.Pc = pc;
        Retired = retired;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        fetch = new FetchWindow { Page = fetchPage, Host = fetchHost, Physical = fetchPhysical, Code = code };
        return RunResult.BudgetEnded(pc, retired - start);

    Trap:
        x = 0;
        context.Pc = pc;
        Retired = retired;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        fetch = new FetchWindow { Page = fetchPage, Host = fetchHost, Physical = fetchPhysical, Code = code };
        return RunResult.Trapped(cause, pc, tval, retired - start);
    }

    private void HandOverLineHits<TCaches>(ulong fetchHits, ulong dataHits)
        where TCaches : struct, ICacheMode
    {
        if (TCaches.CountsRepeatedLineHits)
        {
            _instructionCache!.CountUserLineHits(fetchHits);
            _dataCache!.CountUserLineHits(dataHits);
        }
    }

    /// <summary>
    /// DIV/DIVU/REM/REMU with the spec's results for the cases C# would throw on (unprivileged spec 7.2, table 7.1):
    /// x/0 = all ones (-1 signed), x%0 = x; signed overflow MIN/-1 = MIN with remainder 0.
    /// </summary>
    private static uint Divide(InstructionKind kind, uint a, uint b)
    {
        if (b == 0)
        {
            return kind is InstructionKind.Div or InstructionKind.Divu ? uint.MaxValue : a;
        }

        switch (kind)
        {
            case InstructionKind.Div:
                return (int)a == int.MinValue && (int)b == -1 ? a : (uint)((int)a / (int)b);
            case InstructionKind.Rem:
                return (int)a == int.MinValue && (int)b == -1 ? 0 : (uint)((int)a % (int)b);
            case InstructionKind.Divu:
                return a / b;
            default:
                return a % b;
        }
    }
}
