using System.Diagnostics.CodeAnalysis;
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
    [KernelHotPath]
    private RunResult ExecuteBlocks<TCaches>(ref RegisterContext context, ulong maxInstructions)
        where TCaches : struct, ICacheMode
    {
        ref uint x = ref Unsafe.As<RegisterContext, uint>(ref context);
        Sv32Mmu mmu = _mmu;
        ref FastTranslation tlb = ref MemoryMarshal.GetArrayDataReference(mmu.Tlb.Fast);
        byte[] pageFlags = _bus.PageFlags;
        nint memoryBase = _bus.Memory.Base;
        CycleCosts costs = _costs;
        uint storeCost = costs.Store;
        ulong start = Retired;
        ulong retired = start;
        ulong cycles = Cycles;
        ulong limit = maxInstructions > ulong.MaxValue - start ? ulong.MaxValue : start + maxInstructions;
        uint pc = context.Pc;
        FetchWindow fetch = FetchWindow.None;

        // As in the stepping loop: the line each cache model accessed last (taken from the model, which holds it across
        // runs and kernel accesses) and the hits counted here, handed over when the run ends or the stepping loop runs.
        uint fetchLine = TCaches.CountsRepeatedLineHits ? _instructionCache!.LastLine : NoLine;
        ulong fetchHits = 0;
        uint dataLine = TCaches.CountsRepeatedLineHits ? _dataCache!.LastLine : NoLine;
        ulong dataHits = 0;
        TrapCause cause;
        uint tval;
        uint va;
        nint host;
        ref FastTranslation way0 = ref tlb;

        x = 0;
        if ((pc & 3) != 0)
        {
            cause = TrapCause.InstructionAddressMisaligned;
            tval = pc;
            goto Trap;
        }

        while (retired < limit)
        {
            if ((pc & PageMask) != fetch.Page)
            {
                ref TlbEntry page = ref mmu.Translate(pc, AccessType.Execute, out cause);
                if (Unsafe.IsNullRef(ref page))
                {
                    tval = pc;
                    goto Trap;
                }

                fetch = new FetchWindow { Page = pc & PageMask, Host = page.Host, Physical = page.PhysicalBase, Code = _bus.CodePage(page.PhysicalPage) };
            }

            int index = (int)((pc & Sv32.PageOffsetMask) >> 2);
            ref DecodedInstruction d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(fetch.Code), index);
            if (d.BlockLength == 0)
            {
                BasicBlocks.Build(fetch.Code, index, fetch.Host, costs);
            }

            uint n = d.BlockLength;
            if (n == 0 || n > limit - retired)
            {
                // A stepped instruction, or the budget ends inside the block: the stepping loop runs the instruction or
                // what is left of the budget, fetching through this run's window.
                context.Pc = pc;
                Retired = retired;
                Cycles = cycles;
                HandOverLineHits<TCaches>(fetchHits, dataHits);
                fetchHits = 0;
                dataHits = 0;
                RunResult stepped = Execute<TCaches>(ref context, n == 0 ? 1 : limit - retired, ref fetch);
                pc = context.Pc;
                retired = Retired;
                cycles = Cycles;
                if (TCaches.CountsRepeatedLineHits)
                {
                    fetchLine = _instructionCache!.LastLine;
                    dataLine = _dataCache!.LastLine;
                }

                if (stepped.IsTrap)
                {
                    return RunResult.Trapped(stepped.Cause, stepped.Pc, stepped.Tval, retired - start);
                }

                continue;
            }

            retired += n;
            cycles += d.BlockCycles;

            // Inside the block the pc is where d stands: the block's first pc plus 4 bytes per slot of 16 bytes.
            uint blockPc = pc;
            ref DecodedInstruction blockFirst = ref d;
            uint fetchPhysical = fetch.Physical;

        Dispatch:
            if (TCaches.Enabled)
            {
                cycles += FetchAccess<TCaches>(fetchPhysical | (PcOf(ref d, ref blockFirst, blockPc) & Sv32.PageOffsetMask), ref fetchLine, ref fetchHits);
            }

        Switch:
            switch (d.Kind)
            {
                case InstructionKind.Lui:
                    Reg(ref x, d.Destination) = (uint)d.Imm;
                    break;
                case InstructionKind.Auipc:
                    Reg(ref x, d.Destination) = PcOf(ref d, ref blockFirst, blockPc) + (uint)d.Imm;
                    break;
                case InstructionKind.Jal:
                    pc = PcOf(ref d, ref blockFirst, blockPc);
                    if ((d.Imm & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = pc + (uint)d.Imm;
                        goto BlockTrap;
                    }

                    Reg(ref x, d.Destination) = pc + 4;
                    pc += (uint)d.Imm;
                    continue;
                case InstructionKind.Jalr:
                {
                    uint target = (Reg(ref x, d.Rs1) + (uint)d.Imm) & ~1u;
                    pc = PcOf(ref d, ref blockFirst, blockPc);
                    if ((target & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = target;
                        goto BlockTrap;
                    }

                    Reg(ref x, d.Destination) = pc + 4;
                    pc = target;
                    continue;
                }

                case InstructionKind.Beq:
                    if (Reg(ref x, d.Rs1) == Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case InstructionKind.Bne:
                    if (Reg(ref x, d.Rs1) != Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case InstructionKind.Blt:
                    if ((int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case InstructionKind.Bge:
                    if ((int)Reg(ref x, d.Rs1) >= (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case InstructionKind.Bltu:
                    if (Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case InstructionKind.Bgeu:
                    if (Reg(ref x, d.Rs1) >= Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;

                case InstructionKind.Lb:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = (uint)(sbyte)HostMemory.Read8(host, 0);
                    goto Loaded;
                case InstructionKind.Lh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = (uint)(short)HostMemory.Read16(host, 0);
                    goto Loaded;
                case InstructionKind.Lw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 3)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read32(host, 0);
                    goto Loaded;
                case InstructionKind.Lbu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read8(host, 0);
                    goto Loaded;
                case InstructionKind.Lhu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read16(host, 0);
                    goto Loaded;

                case InstructionKind.Sb:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
                    HostMemory.Write8(host, 0, (byte)Reg(ref x, d.Rs2));
                    goto Stored;
                case InstructionKind.Sh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
                    HostMemory.Write16(host, 0, (ushort)Reg(ref x, d.Rs2));
                    goto Stored;
                case InstructionKind.Sw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 3)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
                    HostMemory.Write32(host, 0, Reg(ref x, d.Rs2));
                    goto Stored;

                case InstructionKind.Addi:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    break;
                case InstructionKind.Slti:
                    Reg(ref x, d.Destination) = (int)Reg(ref x, d.Rs1) < d.Imm ? 1u : 0u;
                    break;
                case InstructionKind.Sltiu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) < (uint)d.Imm ? 1u : 0u;
                    break;
                case InstructionKind.Xori:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) ^ (uint)d.Imm;
                    break;
                case InstructionKind.Ori:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) | (uint)d.Imm;
                    break;
                case InstructionKind.Andi:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) & (uint)d.Imm;
                    break;
                case InstructionKind.Slli:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) << d.Imm;
                    break;
                case InstructionKind.Srli:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) >> d.Imm;
                    break;
                case InstructionKind.Srai:
                    Reg(ref x, d.Destination) = (uint)((int)Reg(ref x, d.Rs1) >> d.Imm);
                    break;
                case InstructionKind.Add:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.Sub:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) - Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.Sll:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) << (int)(Reg(ref x, d.Rs2) & 31);
                    break;
                case InstructionKind.Slt:
                    Reg(ref x, d.Destination) = (int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2) ? 1u : 0u;
                    break;
                case InstructionKind.Sltu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2) ? 1u : 0u;
                    break;
                case InstructionKind.Xor:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) ^ Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.Srl:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31);
                    break;
                case InstructionKind.Sra:
                    Reg(ref x, d.Destination) = (uint)((int)Reg(ref x, d.Rs1) >> (int)(Reg(ref x, d.Rs2) & 31));
                    break;
                case InstructionKind.Or:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) | Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.And:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) & Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.Mul:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) * Reg(ref x, d.Rs2);
                    break;
                case InstructionKind.Mulh:
                    Reg(ref x, d.Destination) = (uint)(((long)(int)Reg(ref x, d.Rs1) * (int)Reg(ref x, d.Rs2)) >> 32);
                    break;
                case InstructionKind.Mulhsu:
                    Reg(ref x, d.Destination) = (uint)(((long)(int)Reg(ref x, d.Rs1) * (long)Reg(ref x, d.Rs2)) >> 32);
                    break;
                case InstructionKind.Mulhu:
                    Reg(ref x, d.Destination) = (uint)(((ulong)Reg(ref x, d.Rs1) * Reg(ref x, d.Rs2)) >> 32);
                    break;
                case InstructionKind.Div:
                case InstructionKind.Divu:
                case InstructionKind.Rem:
                case InstructionKind.Remu:
                    Reg(ref x, d.Destination) = Divide(d.Kind, Reg(ref x, d.Rs1), Reg(ref x, d.Rs2));
                    break;
                case InstructionKind.Fence:
                    break;
                default:
                    throw NotInABlock(d.Kind, PcOf(ref d, ref blockFirst, blockPc));
            }

        Next:
            // The last instruction of a block entered anywhere is the one whose suffix is itself alone.
            if (d.BlockLength != 1)
            {
                d = ref Unsafe.Add(ref d, 1);
                goto Dispatch;
            }

            pc = PcOf(ref d, ref blockFirst, blockPc) + 4;
            continue;

        NotTaken:
            pc = PcOf(ref d, ref blockFirst, blockPc) + 4;
            continue;

        Taken:
            pc = PcOf(ref d, ref blockFirst, blockPc);
            if ((d.Imm & 2) != 0)
            {
                cause = TrapCause.InstructionAddressMisaligned;
                tval = pc + (uint)d.Imm;
                goto BlockTrap;
            }

            pc += (uint)d.Imm;
            continue;

        Loaded:
            if (TCaches.Enabled)
            {
                cycles += DataAccess<TCaches>((uint)(host - memoryBase), false, ref dataLine, ref dataHits);
            }

            goto Next;

        LoadMiss:
            // Misaligned, or not in way 0 of the TLB: trap, or bring the page there and run the instruction again.
            if (!TranslateDataSlow(va, LoadAlignMask(d.Kind), AccessType.Read, out cause))
            {
                goto DataTrap;
            }

            goto Switch;

        StoreMiss:
            if (!TranslateDataSlow(va, StoreAlignMask(d.Kind), AccessType.Write, out cause))
            {
                goto DataTrap;
            }

            goto Switch;

        Stored:
            uint physical = (uint)(host - memoryBase);
            if (TCaches.Enabled)
            {
                cycles += DataAccess<TCaches>(physical, true, ref dataLine, ref dataHits);
            }

            byte flags = pageFlags[physical >> Sv32.PageShift];
            if (flags == 0)
            {
                goto Next;
            }

            // Read before the store's consequences: they may clear this very slot.
            uint restLength = d.BlockLength - 1u;
            uint restCycles = d.BlockCycles - storeCost;
            pc = PcOf(ref d, ref blockFirst, blockPc) + 4;
            _bus.OnStore(physical);
            if ((flags & MemoryBus.HasCode) == 0)
            {
                goto Next;
            }

            // The store may have rewritten an instruction of this block: give back the rest of it and build again.
            retired -= restLength;
            cycles -= restCycles;
            continue;

        DataTrap:
            tval = va;
            pc = PcOf(ref d, ref blockFirst, blockPc);

        BlockTrap:
            retired -= d.BlockLength;
            cycles -= d.BlockCycles;
            goto Trap;
        }

        context.Pc = pc;
        Retired = retired;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.BudgetEnded(pc, retired - start);

    Trap:
        context.Pc = pc;
        Retired = retired;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.Trapped(cause, pc, tval, retired - start);
    }

    /// <summary>The pc of slot <paramref name="d"/> of the block that starts at slot <paramref name="first"/>, pc <paramref name="firstPc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PcOf(ref DecodedInstruction d, ref DecodedInstruction first, uint firstPc) =>
        firstPc + (uint)((nuint)Unsafe.ByteOffset(ref first, ref d) / (nuint)(Unsafe.SizeOf<DecodedInstruction>() / 4));

    /// <summary>What way 0 of the TLB set of <paramref name="va"/> allows (<see cref="FastTranslation"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref FastTranslation Way0(ref FastTranslation tlb, uint va) => ref Unsafe.Add(ref tlb, (nint)((va >> Sv32.PageShift) % Tlb.Sets));

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

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException NotInABlock(InstructionKind kind, uint pc) =>
        throw new InvalidOperationException("kernel bug: instruction " + kind.ToString() + " at pc 0x" + pc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + " in a basic block");
}
