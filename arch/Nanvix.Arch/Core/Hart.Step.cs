using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nanvix.Arch.Isa;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Core;

/// <summary>The stepping engine (<see cref="HartEngine.Step"/>): one instruction at a time, fetch, decode and execute.</summary>
public sealed partial class Hart
{
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

        // Conditional branches retired in this run, added to the core's counts when it ends.
        ulong taken = 0;
        ulong notTaken = 0;
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
                if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
                {
                    _fetchPage = fetchPage; // a type test, not a property: see ICacheMode
                }

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
            if (typeof(TCaches) == typeof(CachesOnLogged) || typeof(TCaches) == typeof(CachesOnRepeatedLineHitsLogged))
            {
                _accessPc = pc;
            }
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
                    bool isTaken = d.Kind switch
                    {
                        InstructionKind.Beq => a == b,
                        InstructionKind.Bne => a != b,
                        InstructionKind.Blt => (int)a < (int)b,
                        InstructionKind.Bge => (int)a >= (int)b,
                        InstructionKind.Bltu => a < b,
                        _ => a >= b,
                    };
                    if (!isTaken)
                    {
                        notTaken++;
                        cycles += branchCost;
                        pc += 4;
                        break;
                    }

                    // A trap costs no execution cycles: charged only once the target is known to be aligned.
                    if ((d.Imm & 2) != 0)
                    {
                        cause = TrapCause.InstructionAddressMisaligned;
                        tval = pc + (uint)d.Imm;
                        goto Trap;
                    }

                    taken++;
                    cycles += branchCost;
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
        BranchesTaken += taken;
        BranchesNotTaken += notTaken;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        fetch = new FetchWindow { Page = fetchPage, Host = fetchHost, Physical = fetchPhysical, Code = code };
        return RunResult.BudgetEnded(pc, retired - start);

    Trap:
        x = 0;
        context.Pc = pc;
        Retired = retired;
        BranchesTaken += taken;
        BranchesNotTaken += notTaken;
        Cycles = cycles;
        HandOverLineHits<TCaches>(fetchHits, dataHits);
        fetch = new FetchWindow { Page = fetchPage, Host = fetchHost, Physical = fetchPhysical, Code = code };
        return RunResult.Trapped(cause, pc, tval, retired - start);
    }
}
