using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nanvix.Arch.Isa;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>The block engine of <see cref="HartEngine.Fast"/>.</summary>
public sealed partial class Hart
{
    /// <summary>
    /// Runs basic blocks (<see cref="BasicBlocks"/>): a block that fits in the budget is charged its instruction count
    /// and base cycles on entry, and its instructions then run with no per-instruction budget, page or decode check;
    /// loads and stores hit the TLB through <see cref="FastTranslation"/> (one compare, one add). What a block cannot
    /// hold runs through the stepping loop <see cref="Execute"/>: an instruction that <see cref="BasicBlocks.IsStepped"/>,
    /// and the last instructions of a budget that ends inside a block. A trap inside a block gives back the charge of
    /// the trapping instruction and those after it; a store into a page with predecoded code ends the block after it,
    /// since it may have rewritten the rest of the block. Every result is the stepping engine's.
    /// </summary>
    /// <remarks>
    /// Compiled fully optimized at once (no tiering: under the JIT, a method this large spends the start of a run in its
    /// unoptimized and on-stack-replaced versions; measured faster whole process, and the same under NativeAOT).
    /// </remarks>
    [KernelHotPath]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RunResult ExecuteBlocks<TCaches>(ref RegisterContext context, ulong maxInstructions)
        where TCaches : struct, ICacheMode
    {
        // The registers, then the pc: the context seen as 33 words (only x is used below, so the JIT keeps one pointer).
        ref uint x = ref Unsafe.As<RegisterContext, uint>(ref context);
        Sv32Mmu mmu = _mmu;
        ref FastTranslation tlb = ref MemoryMarshal.GetArrayDataReference(mmu.Tlb.Fast);
        byte[] pageFlags = _bus.PageFlags;
        nint memoryBase = _bus.Memory.Base;
        CycleCosts costs = _costs;
        uint storeCost = costs.Store;
        ulong start = Retired;
        ulong left = maxInstructions; // the budget not yet charged: retired = start + maxInstructions - left
        ulong cycles = Cycles;
        uint pc = context.Pc;
        FetchWindow fetch = FetchWindow.None;

        // The window's page and slots as plain locals, which the JIT keeps in registers (fetch is passed by reference).
        uint fetchPage = fetch.Page;
        ref DecodedInstruction code = ref MemoryMarshal.GetArrayDataReference(fetch.Code);

        // As in the stepping loop: the line each cache model accessed last (taken from the model, which holds it across
        // runs and kernel accesses) and the hits counted here, handed over when the run ends or the stepping loop runs.
        uint fetchLine = TCaches.CountsRepeatedLineHits ? _instructionCache!.LastLine : NoLine;
        ulong fetchHits = 0;
        uint dataLine = TCaches.CountsRepeatedLineHits ? _dataCache!.LastLine : NoLine;
        ulong dataHits = 0;

        // Conditional branches retired by blocks, added to the core's counts when the run ends or the stepping loop
        // runs (which counts its own).
        ulong taken = 0;
        ulong notTaken = 0;

        // Slots per I$ line, less one: a slot whose number has none of these bits starts a line (lines are at most a page).
        nint lineSlotMask = TCaches.Enabled ? (nint)((1u << Math.Clamp(_fetchLineShift - 2, 0, Sv32.PageShift - 2)) - 1) : 0;
        TrapCause cause;
        uint tval;
        uint va;
        nint host;

        if ((pc & 3) != 0)
        {
            return Execute<TCaches>(ref context, maxInstructions, ref fetch); // it traps there
        }

        x = 0;

        while (left != 0)
        {
            if ((pc & PageMask) != fetchPage)
            {
                ref TlbEntry page = ref mmu.Translate(pc, AccessType.Execute, out cause);
                if (Unsafe.IsNullRef(ref page))
                {
                    tval = pc;
                    goto Trap;
                }

                fetch = new FetchWindow { Page = pc & PageMask, Host = page.Host, Physical = page.PhysicalBase, Code = _bus.CodePage(page.PhysicalPage) };
                fetchPage = fetch.Page;
                code = ref MemoryMarshal.GetArrayDataReference(fetch.Code);
                if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
                {
                    _fetchPage = fetchPage; // a type test, not a property: see ICacheMode
                }
            }

            int index = (int)((pc & Sv32.PageOffsetMask) >> 2);
            ref DecodedInstruction d = ref Unsafe.Add(ref code, index);
            uint n = d.BlockLength;
            if (n == 0)
            {
                BasicBlocks.Build(fetch.Code, index, fetch.Host, costs);
                n = d.BlockLength;
            }

            if (n - 1 >= left) // n == 0 (wraps) or n > left
            {
                // A stepped instruction, or the budget ends inside the block: the stepping loop runs the instruction or
                // what is left of the budget, fetching through this run's window.
                ContextOf(ref x).Pc = pc;
                Retired = start + (maxInstructions - left);
                Cycles = cycles;
                HandOverLineHits<TCaches>(fetchHits, dataHits);
                fetchHits = 0;
                dataHits = 0;
                BranchesTaken += taken;
                BranchesNotTaken += notTaken;
                taken = 0;
                notTaken = 0;
                RunResult stepped = Execute<TCaches>(ref ContextOf(ref x), n == 0 ? 1 : left, ref fetch);
                fetchPage = fetch.Page;
                code = ref MemoryMarshal.GetArrayDataReference(fetch.Code);
                pc = ContextOf(ref x).Pc;
                left = maxInstructions - (Retired - start);
                cycles = Cycles;
                if (TCaches.CountsRepeatedLineHits)
                {
                    fetchLine = _instructionCache!.LastLine;
                    dataLine = _dataCache!.LastLine;
                }

                if (stepped.IsTrap)
                {
                    return RunResult.Trapped(stepped.Cause, stepped.Pc, stepped.Tval, Retired - start);
                }

                continue;
            }

            // Inside the block the pc is where d stands: the page's base plus 4 bytes per slot of 16 bytes.
            uint fetchPhysical = fetch.Physical;

        Enter:
            // From a branch or jump to a slot of the same page: anything but a block that fits in the budget takes the
            // way above (build, step, end of budget).
            // (The way from above comes in here too, its check made again: one way into the charge keeps the
            // locals in the same registers on both.)
            n = d.BlockLength;
            if (n - 1 >= left)
            {
                pc = PcOf(ref d, ref code, fetchPage);
                continue;
            }

            left -= n;
            cycles += d.BlockCycles;
            if (TCaches.Enabled)
            {
                cycles += FetchAccess<TCaches>(fetchPhysical | (PcOf(ref d, ref code, fetchPage) & Sv32.PageOffsetMask), ref fetchLine, ref fetchHits);
            }

        Dispatch:
            switch (d.Op)
            {
                case (byte)InstructionKind.Lui:
                    Reg(ref x, d.Destination) = (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Auipc:
                    Reg(ref x, d.Destination) = PcOf(ref d, ref code, fetchPage) + (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Jal:
                    pc = PcOf(ref d, ref code, fetchPage);
                    if ((d.Imm & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = pc + (uint)d.Imm;
                        goto BlockTrap;
                    }

                    Reg(ref x, d.Destination) = pc + 4;
                    goto Jump;
                case (byte)InstructionKind.Jalr:
                {
                    pc = PcOf(ref d, ref code, fetchPage);
                    if (!JumpTarget(Reg(ref x, d.Rs1), d.Imm, out uint target))
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = target;
                        goto BlockTrap;
                    }

                    Reg(ref x, d.Destination) = pc + 4;
                    pc = target;
                    continue;
                }

                case (byte)InstructionKind.Beq:
                    if (Reg(ref x, d.Rs1) == Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case (byte)InstructionKind.Bne:
                    if (Reg(ref x, d.Rs1) != Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case (byte)InstructionKind.Blt:
                    if ((int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case (byte)InstructionKind.Bge:
                    if ((int)Reg(ref x, d.Rs1) >= (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case (byte)InstructionKind.Bltu:
                    if (Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case (byte)InstructionKind.Bgeu:
                    if (Reg(ref x, d.Rs1) >= Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;

                case (byte)InstructionKind.Lb:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 0, AccessType.Read, out host)) goto LoadMiss;
                    Reg(ref x, d.Destination) = (uint)(sbyte)HostMemory.Read8(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 1, AccessType.Read, out host)) goto LoadMiss;
                    Reg(ref x, d.Destination) = (uint)(short)HostMemory.Read16(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 3, AccessType.Read, out host)) goto LoadMiss;
                    Reg(ref x, d.Destination) = HostMemory.Read32(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lbu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 0, AccessType.Read, out host)) goto LoadMiss;
                    Reg(ref x, d.Destination) = HostMemory.Read8(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lhu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 1, AccessType.Read, out host)) goto LoadMiss;
                    Reg(ref x, d.Destination) = HostMemory.Read16(host, 0);
                    goto Loaded;

                case (byte)InstructionKind.Sb:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 0, AccessType.Write, out host)) goto StoreMiss;
                    HostMemory.Write8(host, 0, (byte)Reg(ref x, d.Rs2));
                    goto Stored;
                case (byte)InstructionKind.Sh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 1, AccessType.Write, out host)) goto StoreMiss;
                    HostMemory.Write16(host, 0, (ushort)Reg(ref x, d.Rs2));
                    goto Stored;
                case (byte)InstructionKind.Sw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    if (!Hits(ref tlb, va, 3, AccessType.Write, out host)) goto StoreMiss;
                    HostMemory.Write32(host, 0, Reg(ref x, d.Rs2));
                    goto Stored;

                case (byte)InstructionKind.Addi:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Slti:
                    Reg(ref x, d.Destination) = (int)Reg(ref x, d.Rs1) < d.Imm ? 1u : 0u;
                    break;
                case (byte)InstructionKind.Sltiu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) < (uint)d.Imm ? 1u : 0u;
                    break;
                case (byte)InstructionKind.Xori:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) ^ (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Ori:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) | (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Andi:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) & (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Slli:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) << d.Imm;
                    break;
                case (byte)InstructionKind.Srli:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) >> d.Imm;
                    break;
                case (byte)InstructionKind.Srai:
                    Reg(ref x, d.Destination) = (uint)((int)Reg(ref x, d.Rs1) >> d.Imm);
                    break;
                case (byte)InstructionKind.Add:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.Sub:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) - Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.Sll:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) << (int)(Reg(ref x, d.Rs2) & 31);
                    break;
                case (byte)InstructionKind.Slt:
                    Reg(ref x, d.Destination) = (int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2) ? 1u : 0u;
                    break;
                case (byte)InstructionKind.Sltu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2) ? 1u : 0u;
                    break;
                case (byte)InstructionKind.Xor:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) ^ Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.Srl:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31);
                    break;
                case (byte)InstructionKind.Sra:
                    Reg(ref x, d.Destination) = (uint)((int)Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31));
                    break;
                case (byte)InstructionKind.Or:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) | Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.And:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) & Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.Mul:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) * Reg(ref x, d.Rs2);
                    break;
                case (byte)InstructionKind.Mulh:
                    Reg(ref x, d.Destination) = (uint)(((long)(int)Reg(ref x, d.Rs1) * (int)Reg(ref x, d.Rs2)) >> 32);
                    break;
                case (byte)InstructionKind.Mulhsu:
                    Reg(ref x, d.Destination) = (uint)(((long)(int)Reg(ref x, d.Rs1) * (long)Reg(ref x, d.Rs2)) >> 32);
                    break;
                case (byte)InstructionKind.Mulhu:
                    Reg(ref x, d.Destination) = (uint)(((ulong)Reg(ref x, d.Rs1) * Reg(ref x, d.Rs2)) >> 32);
                    break;
                case (byte)InstructionKind.Div:
                case (byte)InstructionKind.Divu:
                case (byte)InstructionKind.Rem:
                case (byte)InstructionKind.Remu:
                    Reg(ref x, d.Destination) = Divide(d.Kind, Reg(ref x, d.Rs1), Reg(ref x, d.Rs2));
                    break;
                case (byte)InstructionKind.Fence:
                    break;

                case BasicBlocks.AddiAddi:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    break;
                case BasicBlocks.AddiBeq:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) == Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBne:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) != Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBlt:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBge:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) >= (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBltu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBgeu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) >= Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;

                case BasicBlocks.AddLw:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    goto case (byte)InstructionKind.Lw;
                case BasicBlocks.AddLbu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    goto case (byte)InstructionKind.Lbu;
                case BasicBlocks.AddSw:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    goto case (byte)InstructionKind.Sw;
                case BasicBlocks.AddSb:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    goto case (byte)InstructionKind.Sb;
                case BasicBlocks.SlliAdd:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) << d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    break;
                case BasicBlocks.LuiAddi:
                    Reg(ref x, d.Destination) = (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    break;

                case BasicBlocks.AddiAddiBeq:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) == Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiAddiBne:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) != Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiAddiBlt:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiAddiBge:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) >= (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiAddiBltu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiAddiBgeu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) >= Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;

                case (byte)InstructionKind.Undecoded: // a case of its own keeps the jump table from 0, with no rebasing
                default:
                    // A stepped instruction (or the slot after the page's last) after the block's last: it ends here.
                    pc = PcOf(ref d, ref code, fetchPage);
                    continue;
            }

        Next:
            if (TCaches.Enabled)
            {
                // The fetch of the slot after the block's last must not happen: stop at the last.
                if (d.BlockLength == 1)
                {
                    d = ref Unsafe.Add(ref d, 1);
                    goto Enter;
                }

                d = ref Unsafe.Add(ref d, 1);
                NextFetch<TCaches>(ref d, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
                goto Dispatch;
            }

            d = ref Unsafe.Add(ref d, 1);
            goto Dispatch;

        NotTaken:
            // The next slot, the one after the page's last included: its length is 0, so Enter goes the way above.
            notTaken++;
            d = ref Unsafe.Add(ref d, 1);
            goto Enter;

        Taken:
            if ((d.Imm & 2) != 0)
            {
                cause = TrapCause.InstructionAddressMisaligned;
                pc = PcOf(ref d, ref code, fetchPage);
                tval = pc + (uint)d.Imm;
                goto BlockTrap;
            }

            taken++;

        Jump:
            // A direct branch or jump: its target slot is d's plus the offset, when that stays in the page.
            nint targetSlot = SlotOf(ref d, ref code) + (d.Imm >> 2);
            if ((nuint)targetSlot < BasicBlocks.PageSlots)
            {
                d = ref Unsafe.Add(ref code, targetSlot);
                goto Enter;
            }

            pc = PcOf(ref d, ref code, fetchPage) + (uint)d.Imm;
            continue;

        Loaded:
            if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
            {
                _accessPc = PcOf(ref d, ref code, fetchPage);
            }

            if (TCaches.Enabled)
            {
                DataAccess<TCaches>((uint)(host - memoryBase), false, ref dataLine, ref dataHits, ref cycles);
            }

            goto Next;

        LoadMiss:
            // Misaligned, or not in way 0 of the TLB: trap, or bring the page there and run the instruction again. The
            // address is computed again (its registers are as the load found them), so it need not be kept from there.
            va = Reg(ref x, d.Rs1) + (uint)d.Imm;
            if (!TranslateDataSlow(va, LoadAlignMask(d.Kind), AccessType.Read, out cause))
            {
                goto DataTrap;
            }

            goto Dispatch;

        StoreMiss:
            va = Reg(ref x, d.Rs1) + (uint)d.Imm;
            if (!TranslateDataSlow(va, StoreAlignMask(d.Kind), AccessType.Write, out cause))
            {
                goto DataTrap;
            }

            goto Dispatch;

        Stored:
            uint physical = (uint)(host - memoryBase);
            if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
            {
                _accessPc = PcOf(ref d, ref code, fetchPage);
            }

            if (TCaches.Enabled)
            {
                DataAccess<TCaches>(physical, true, ref dataLine, ref dataHits, ref cycles);
            }

            byte flags = pageFlags[physical >> Sv32.PageShift];
            if (flags == 0)
            {
                goto Next;
            }

            // Read before the store's consequences: they may clear this very slot.
            uint restLength = d.BlockLength - 1u;
            uint restCycles = d.BlockCycles - storeCost;
            pc = PcOf(ref d, ref code, fetchPage) + 4;
            _bus.OnStore(physical);
            if ((flags & MemoryBus.HasCode) == 0)
            {
                goto Next;
            }

            // The store may have rewritten an instruction of this block: give back the rest of it and build again.
            left += restLength;
            cycles -= restCycles;
            continue;

        DataTrap:
            tval = va;
            pc = PcOf(ref d, ref code, fetchPage);

        BlockTrap:
            left += d.BlockLength;
            cycles -= d.BlockCycles;
            goto Trap;
        }

        ContextOf(ref x).Pc = pc;
        Retired = start + (maxInstructions - left);
        BranchesTaken += taken;
        BranchesNotTaken += notTaken;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.BudgetEnded(pc, maxInstructions - left);

    Trap:
        ContextOf(ref x).Pc = pc;
        Retired = start + (maxInstructions - left);
        BranchesTaken += taken;
        BranchesNotTaken += notTaken;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.Trapped(cause, pc, tval, maxInstructions - left);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref RegisterContext ContextOf(ref uint x) => ref Unsafe.As<uint, RegisterContext>(ref x);

    /// <summary>The slot number of <paramref name="d"/> in the code page whose first slot is <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint SlotOf(ref DecodedInstruction d, ref DecodedInstruction first) =>
        (nint)((nuint)Unsafe.ByteOffset(ref first, ref d) / (nuint)Unsafe.SizeOf<DecodedInstruction>());

    /// <summary>The pc of slot <paramref name="d"/> of the code page whose first slot is <paramref name="first"/>, at pc <paramref name="firstPc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PcOf(ref DecodedInstruction d, ref DecodedInstruction first, uint firstPc) =>
        firstPc + (uint)((nuint)Unsafe.ByteOffset(ref first, ref d) / (nuint)(Unsafe.SizeOf<DecodedInstruction>() / 4));

    /// <summary>
    /// The second instruction of a fused pair, after its fetch when caches are modeled (the first's was before it): a
    /// trap or a branch there is then at its own slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref DecodedInstruction Second<TCaches>(ref DecodedInstruction first, scoped ref DecodedInstruction code, uint fetchPage, uint fetchPhysical, nint lineSlotMask, scoped ref ulong cycles, scoped ref uint fetchLine, scoped ref ulong fetchHits)
        where TCaches : struct, ICacheMode
    {
        ref DecodedInstruction second = ref Unsafe.Add(ref first, 1);
        if (TCaches.Enabled)
        {
            NextFetch<TCaches>(ref second, ref code, fetchPage, fetchPhysical, lineSlotMask, ref cycles, ref fetchLine, ref fetchHits);
        }

        return ref second;
    }

    /// <summary>
    /// The fetch of <paramref name="d"/>, run on into from the slot before it, whose fetch left <paramref name="fetchLine"/>
    /// at that slot's line or at none: unless <paramref name="d"/> starts a line (its slot number has no bit of
    /// <paramref name="lineSlotMask"/>), a line in hand is its own, and the fetch a hit with no address to compute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NextFetch<TCaches>(ref DecodedInstruction d, scoped ref DecodedInstruction code, uint fetchPage, uint fetchPhysical, nint lineSlotMask, scoped ref ulong cycles, scoped ref uint fetchLine, scoped ref ulong fetchHits)
        where TCaches : struct, ICacheMode
    {
        // The hit leaves the cycles alone (no add of a zero stall), so the common case touches only the hit count.
        if (TCaches.CountsRepeatedLineHits && (SlotOf(ref d, ref code) & lineSlotMask) != 0 && fetchLine != NoLine)
        {
            fetchHits++;
        }
        else
        {
            cycles += FetchAccess<TCaches>(fetchPhysical | (PcOf(ref d, ref code, fetchPage) & Sv32.PageOffsetMask), ref fetchLine, ref fetchHits);
        }
    }

    /// <summary>
    /// True, with its host address, when an access of <paramref name="access"/> at <paramref name="va"/> (aligned to
    /// <paramref name="alignMask"/> + 1 bytes) hits way 0 of its TLB set (<see cref="FastTranslation"/>): one compare, one add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Hits(ref FastTranslation tlb, uint va, uint alignMask, AccessType access, out nint host)
    {
        ref FastTranslation way0 = ref Unsafe.Add(ref tlb, (nint)((va >> Sv32.PageShift) % Tlb.Sets));
        host = way0.HostOffset + (nint)va;
        return (va & (PageMask | alignMask)) == (access == AccessType.Read ? way0.ReadTag : way0.WriteTag);
    }

    private static uint LoadAlignMask(InstructionKind kind) => kind switch
    {
        InstructionKind.Lw => 3u,
        InstructionKind.Lh or InstructionKind.Lhu => 1u,
        _ => 0u,
    };

    private static uint StoreAlignMask(InstructionKind kind) => kind switch
    {
        InstructionKind.Sw => 3u,
        InstructionKind.Sh => 1u,
        _ => 0u,
    };

    /// <summary>
    /// The stepping loop's checks for a data access that missed way 0 of the TLB: alignment, then the TLB and the page
    /// walk. True when the access may go on: the page is then in way 0, where the instruction finds it when run again.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TranslateDataSlow(uint va, uint alignMask, AccessType access, out TrapCause cause)
    {
        if ((va & alignMask) != 0)
        {
            cause = access == AccessType.Read ? TrapCause.LoadAddressMisaligned : TrapCause.StoreAddressMisaligned;
            return false;
        }

        return !Unsafe.IsNullRef(ref _mmu.Translate(va, access, out cause));
    }
}
