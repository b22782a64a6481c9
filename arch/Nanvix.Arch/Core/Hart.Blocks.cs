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
                context.Pc = pc;
                Retired = start + (maxInstructions - left);
                Cycles = cycles;
                HandOverLineHits<TCaches>(fetchHits, dataHits);
                fetchHits = 0;
                dataHits = 0;
                RunResult stepped = Execute<TCaches>(ref context, n == 0 ? 1 : left, ref fetch);
                fetchPage = fetch.Page;
                code = ref MemoryMarshal.GetArrayDataReference(fetch.Code);
                pc = context.Pc;
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

            left -= n;
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
            switch (d.Op)
            {
                case (byte)InstructionKind.Lui:
                    Reg(ref x, d.Destination) = (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Auipc:
                    Reg(ref x, d.Destination) = PcOf(ref d, ref blockFirst, blockPc) + (uint)d.Imm;
                    break;
                case (byte)InstructionKind.Jal:
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
                case (byte)InstructionKind.Jalr:
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
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = (uint)(sbyte)HostMemory.Read8(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = (uint)(short)HostMemory.Read16(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 3)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read32(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lbu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read8(host, 0);
                    goto Loaded;
                case (byte)InstructionKind.Lhu:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.ReadTag) goto LoadMiss;
                    host = way0.HostOffset + (nint)va;
                    Reg(ref x, d.Destination) = HostMemory.Read16(host, 0);
                    goto Loaded;

                case (byte)InstructionKind.Sb:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 0)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
                    HostMemory.Write8(host, 0, (byte)Reg(ref x, d.Rs2));
                    goto Stored;
                case (byte)InstructionKind.Sh:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 1)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
                    HostMemory.Write16(host, 0, (ushort)Reg(ref x, d.Rs2));
                    goto Stored;
                case (byte)InstructionKind.Sw:
                    va = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    way0 = ref Way0(ref tlb, va);
                    if ((va & (PageMask | 3)) != way0.WriteTag) goto StoreMiss;
                    host = way0.HostOffset + (nint)va;
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
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    break;
                case BasicBlocks.AddiBeq:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) == Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBne:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) != Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBlt:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) < (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBge:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if ((int)Reg(ref x, d.Rs1) >= (int)Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBltu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) < Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;
                case BasicBlocks.AddiBgeu:
                    Reg(ref x, d.Destination) = Reg(ref x, d.Rs1) + (uint)d.Imm;
                    d = ref Second<TCaches>(ref d, ref blockFirst, blockPc, fetchPhysical, ref cycles, ref fetchLine, ref fetchHits);
                    if (Reg(ref x, d.Rs1) >= Reg(ref x, d.Rs2)) goto Taken;
                    goto NotTaken;

                default:
                    // A stepped instruction (or the slot after the page's last) after the block's last: it ends here.
                    pc = PcOf(ref d, ref blockFirst, blockPc);
                    continue;
            }

        Next:
            // With cache models the fetch of the slot after the block's last must not happen: stop at the last.
            if (TCaches.Enabled && d.BlockLength == 1)
            {
                pc = PcOf(ref d, ref blockFirst, blockPc) + 4;
                continue;
            }

            d = ref Unsafe.Add(ref d, 1);
            goto Dispatch;

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
            left += restLength;
            cycles -= restCycles;
            continue;

        DataTrap:
            tval = va;
            pc = PcOf(ref d, ref blockFirst, blockPc);

        BlockTrap:
            left += d.BlockLength;
            cycles -= d.BlockCycles;
            goto Trap;
        }

        context.Pc = pc;
        Retired = start + (maxInstructions - left);
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.BudgetEnded(pc, maxInstructions - left);

    Trap:
        context.Pc = pc;
        Retired = start + (maxInstructions - left);
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        return RunResult.Trapped(cause, pc, tval, maxInstructions - left);
    }

    /// <summary>The pc of slot <paramref name="d"/> of the block that starts at slot <paramref name="first"/>, pc <paramref name="firstPc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PcOf(ref DecodedInstruction d, ref DecodedInstruction first, uint firstPc) =>
        firstPc + (uint)((nuint)Unsafe.ByteOffset(ref first, ref d) / (nuint)(Unsafe.SizeOf<DecodedInstruction>() / 4));

    /// <summary>
    /// The second instruction of a fused pair, after its fetch when caches are modeled (the first's was before it): a
    /// trap or a branch there is then at its own slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref DecodedInstruction Second<TCaches>(ref DecodedInstruction first, scoped ref DecodedInstruction blockFirst, uint blockPc, uint fetchPhysical, scoped ref ulong cycles, scoped ref uint fetchLine, scoped ref ulong fetchHits)
        where TCaches : struct, ICacheMode
    {
        ref DecodedInstruction second = ref Unsafe.Add(ref first, 1);
        if (TCaches.Enabled)
        {
            cycles += FetchAccess<TCaches>(fetchPhysical | (PcOf(ref second, ref blockFirst, blockPc) & Sv32.PageOffsetMask), ref fetchLine, ref fetchHits);
        }

        return ref second;
    }

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
}
