namespace Nanvix.Arch.Isa;

/// <summary>
/// Decodes one 32-bit RV32IMA instruction (RISC-V unprivileged spec 20191213, chapters 2, 7, 8 and 24) into a
/// <see cref="DecodedInstruction"/>. Anything else, including every compressed (16-bit) encoding, decodes as
/// <see cref="InstructionKind.Illegal"/>: this core, like the k1b it stands in for, has no C extension.
/// </summary>
public static class InstructionDecoder
{
    public static DecodedInstruction Decode(uint raw)
    {
        uint rd = (raw >> 7) & 31;
        uint rs1 = (raw >> 15) & 31;
        uint rs2 = (raw >> 20) & 31;
        uint funct3 = (raw >> 12) & 7;
        uint funct7 = raw >> 25;
        int immI = (int)raw >> 20;

        if ((raw & 3) != 3)
        {
            return Illegal(raw);
        }

        switch (raw & 0x7F)
        {
            case 0x37:
                return new(InstructionKind.Lui, rd, 0, 0, (int)(raw & 0xFFFFF000));
            case 0x17:
                return new(InstructionKind.Auipc, rd, 0, 0, (int)(raw & 0xFFFFF000));
            case 0x6F:
                return new(InstructionKind.Jal, rd, 0, 0, ImmJ(raw));
            case 0x67:
                return funct3 == 0 ? new(InstructionKind.Jalr, rd, rs1, 0, immI) : Illegal(raw);
            case 0x63:
                InstructionKind branch = funct3 switch
                {
                    0 => InstructionKind.Beq,
                    1 => InstructionKind.Bne,
                    4 => InstructionKind.Blt,
                    5 => InstructionKind.Bge,
                    6 => InstructionKind.Bltu,
                    7 => InstructionKind.Bgeu,
                    _ => InstructionKind.Illegal,
                };
                return branch == InstructionKind.Illegal ? Illegal(raw) : new(branch, 0, rs1, rs2, ImmB(raw));
            case 0x03:
                InstructionKind load = funct3 switch
                {
                    0 => InstructionKind.Lb,
                    1 => InstructionKind.Lh,
                    2 => InstructionKind.Lw,
                    4 => InstructionKind.Lbu,
                    5 => InstructionKind.Lhu,
                    _ => InstructionKind.Illegal,
                };
                return load == InstructionKind.Illegal ? Illegal(raw) : new(load, rd, rs1, 0, immI);
            case 0x23:
                InstructionKind store = funct3 switch
                {
                    0 => InstructionKind.Sb,
                    1 => InstructionKind.Sh,
                    2 => InstructionKind.Sw,
                    _ => InstructionKind.Illegal,
                };
                return store == InstructionKind.Illegal ? Illegal(raw) : new(store, 0, rs1, rs2, ImmS(raw));
            case 0x13:
                return DecodeOpImm(raw, rd, rs1, funct3, funct7, immI);
            case 0x33:
                return DecodeOp(raw, rd, rs1, rs2, funct3, funct7);
            case 0x0F:
                return funct3 switch
                {
                    0 => new(InstructionKind.Fence, 0, 0, 0, 0),
                    1 => new(InstructionKind.FenceI, 0, 0, 0, 0),
                    _ => Illegal(raw),
                };
            case 0x73:
                return DecodeSystem(raw, rd, rs1, funct3);
            case 0x2F:
                return funct3 == 2 ? DecodeAmo(raw, rd, rs1, rs2) : Illegal(raw);
            default:
                return Illegal(raw);
        }
    }

    private static DecodedInstruction DecodeOpImm(uint raw, uint rd, uint rs1, uint funct3, uint funct7, int immI)
    {
        switch (funct3)
        {
            case 0: return new(InstructionKind.Addi, rd, rs1, 0, immI);
            case 2: return new(InstructionKind.Slti, rd, rs1, 0, immI);
            case 3: return new(InstructionKind.Sltiu, rd, rs1, 0, immI);
            case 4: return new(InstructionKind.Xori, rd, rs1, 0, immI);
            case 6: return new(InstructionKind.Ori, rd, rs1, 0, immI);
            case 7: return new(InstructionKind.Andi, rd, rs1, 0, immI);
            case 1:
                // RV32: shamt[5] must be 0, so funct7 must be exactly 0 (a set shamt[5] is reserved).
                return funct7 == 0 ? new(InstructionKind.Slli, rd, rs1, 0, immI & 31) : Illegal(raw);
            default:
                return funct7 switch
                {
                    0x00 => new(InstructionKind.Srli, rd, rs1, 0, immI & 31),
                    0x20 => new(InstructionKind.Srai, rd, rs1, 0, immI & 31),
                    _ => Illegal(raw),
                };
        }
    }

    private static DecodedInstruction DecodeOp(uint raw, uint rd, uint rs1, uint rs2, uint funct3, uint funct7)
    {
        InstructionKind kind = (funct7, funct3) switch
        {
            (0x00, 0) => InstructionKind.Add,
            (0x20, 0) => InstructionKind.Sub,
            (0x00, 1) => InstructionKind.Sll,
            (0x00, 2) => InstructionKind.Slt,
            (0x00, 3) => InstructionKind.Sltu,
            (0x00, 4) => InstructionKind.Xor,
            (0x00, 5) => InstructionKind.Srl,
            (0x20, 5) => InstructionKind.Sra,
            (0x00, 6) => InstructionKind.Or,
            (0x00, 7) => InstructionKind.And,
            (0x01, 0) => InstructionKind.Mul,
            (0x01, 1) => InstructionKind.Mulh,
            (0x01, 2) => InstructionKind.Mulhsu,
            (0x01, 3) => InstructionKind.Mulhu,
            (0x01, 4) => InstructionKind.Div,
            (0x01, 5) => InstructionKind.Divu,
            (0x01, 6) => InstructionKind.Rem,
            (0x01, 7) => InstructionKind.Remu,
            _ => InstructionKind.Illegal,
        };
        return kind == InstructionKind.Illegal ? Illegal(raw) : new(kind, rd, rs1, rs2, 0);
    }

    private static DecodedInstruction DecodeSystem(uint raw, uint rd, uint rs1, uint funct3)
    {
        if (funct3 == 0)
        {
            return raw switch
            {
                0x00000073 => new(InstructionKind.Ecall, 0, 0, 0, 0),
                0x00100073 => new(InstructionKind.Ebreak, 0, 0, 0, 0),
                _ => Illegal(raw), // mret, sret, wfi, sfence.vma: privileged, illegal in U-mode.
            };
        }

        int csr = (int)(raw >> 20);
        if (funct3 == 4 || !CounterCsr.IsCounter(csr))
        {
            return Illegal(raw);
        }

        // The counters are read-only: CSRRW/CSRRWI always write, CSRRS/CSRRC(I) write unless rs1 (or uimm) is 0.
        // A write attempt to a read-only CSR raises an illegal-instruction exception (privileged spec, 2.1).
        bool writes = (funct3 & 3) == 1 || rs1 != 0;
        return writes ? Illegal(raw) : new(InstructionKind.CsrRead, rd, 0, 0, csr);
    }

    private static DecodedInstruction DecodeAmo(uint raw, uint rd, uint rs1, uint rs2)
    {
        // Bits 26:25 are aq/rl: ordering hints, meaningless on a core that executes in order one access at a time.
        InstructionKind kind = (raw >> 27) switch
        {
            0x02 => rs2 == 0 ? InstructionKind.LrW : InstructionKind.Illegal,
            0x03 => InstructionKind.ScW,
            0x01 => InstructionKind.AmoSwapW,
            0x00 => InstructionKind.AmoAddW,
            0x04 => InstructionKind.AmoXorW,
            0x0C => InstructionKind.AmoAndW,
            0x08 => InstructionKind.AmoOrW,
            0x10 => InstructionKind.AmoMinW,
            0x14 => InstructionKind.AmoMaxW,
            0x18 => InstructionKind.AmoMinuW,
            0x1C => InstructionKind.AmoMaxuW,
            _ => InstructionKind.Illegal,
        };
        return kind == InstructionKind.Illegal ? Illegal(raw) : new(kind, rd, rs1, rs2, 0);
    }

    private static DecodedInstruction Illegal(uint raw) => new(InstructionKind.Illegal, 0, 0, 0, (int)raw);

    private static int ImmS(uint raw) => ((int)raw >> 25 << 5) | (int)((raw >> 7) & 31);

    private static int ImmB(uint raw) =>
        ((int)raw >> 31 << 12) | (int)((raw & 0x80) << 4) | (int)((raw >> 20) & 0x7E0) | (int)((raw >> 7) & 0x1E);

    private static int ImmJ(uint raw) =>
        ((int)raw >> 31 << 20) | (int)(raw & 0xFF000) | (int)((raw >> 9) & 0x800) | (int)((raw >> 20) & 0x7FE);
}
