namespace Nanvix.Arch.Tests.Isa;

/// <summary>A tiny RV32IMA assembler: one method per instruction, built on the six base formats.</summary>
internal static class Rv32
{
    public static uint R(uint funct7, int rs2, int rs1, uint funct3, int rd, uint opcode) =>
        (funct7 << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)rd << 7) | opcode;

    public static uint I(int imm, int rs1, uint funct3, int rd, uint opcode) =>
        ((uint)(imm & 0xFFF) << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)rd << 7) | opcode;

    public static uint S(int imm, int rs2, int rs1, uint funct3, uint opcode) =>
        ((uint)((imm >> 5) & 0x7F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (funct3 << 12) | ((uint)(imm & 31) << 7) | opcode;

    public static uint B(int imm, int rs2, int rs1, uint funct3) =>
        ((uint)((imm >> 12) & 1) << 31) | ((uint)((imm >> 5) & 0x3F) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15)
        | (funct3 << 12) | ((uint)((imm >> 1) & 0xF) << 8) | ((uint)((imm >> 11) & 1) << 7) | 0x63;

    public static uint U(int imm, int rd, uint opcode) => ((uint)imm & 0xFFFFF000) | ((uint)rd << 7) | opcode;

    public static uint J(int imm, int rd) =>
        ((uint)((imm >> 20) & 1) << 31) | ((uint)((imm >> 1) & 0x3FF) << 21) | ((uint)((imm >> 11) & 1) << 20)
        | ((uint)((imm >> 12) & 0xFF) << 12) | ((uint)rd << 7) | 0x6F;

    public static uint Lui(int rd, int imm) => U(imm, rd, 0x37);
    public static uint Auipc(int rd, int imm) => U(imm, rd, 0x17);
    public static uint Jal(int rd, int offset) => J(offset, rd);
    public static uint Jalr(int rd, int rs1, int imm) => I(imm, rs1, 0, rd, 0x67);

    public static uint Beq(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 0);
    public static uint Bne(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 1);
    public static uint Blt(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 4);
    public static uint Bge(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 5);
    public static uint Bltu(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 6);
    public static uint Bgeu(int rs1, int rs2, int offset) => B(offset, rs2, rs1, 7);

    public static uint Lb(int rd, int rs1, int imm) => I(imm, rs1, 0, rd, 0x03);
    public static uint Lh(int rd, int rs1, int imm) => I(imm, rs1, 1, rd, 0x03);
    public static uint Lw(int rd, int rs1, int imm) => I(imm, rs1, 2, rd, 0x03);
    public static uint Lbu(int rd, int rs1, int imm) => I(imm, rs1, 4, rd, 0x03);
    public static uint Lhu(int rd, int rs1, int imm) => I(imm, rs1, 5, rd, 0x03);
    public static uint Sb(int rs2, int rs1, int imm) => S(imm, rs2, rs1, 0, 0x23);
    public static uint Sh(int rs2, int rs1, int imm) => S(imm, rs2, rs1, 1, 0x23);
    public static uint Sw(int rs2, int rs1, int imm) => S(imm, rs2, rs1, 2, 0x23);

    public static uint Addi(int rd, int rs1, int imm) => I(imm, rs1, 0, rd, 0x13);
    public static uint Slti(int rd, int rs1, int imm) => I(imm, rs1, 2, rd, 0x13);
    public static uint Sltiu(int rd, int rs1, int imm) => I(imm, rs1, 3, rd, 0x13);
    public static uint Xori(int rd, int rs1, int imm) => I(imm, rs1, 4, rd, 0x13);
    public static uint Ori(int rd, int rs1, int imm) => I(imm, rs1, 6, rd, 0x13);
    public static uint Andi(int rd, int rs1, int imm) => I(imm, rs1, 7, rd, 0x13);
    public static uint Slli(int rd, int rs1, int shamt) => I(shamt, rs1, 1, rd, 0x13);
    public static uint Srli(int rd, int rs1, int shamt) => I(shamt, rs1, 5, rd, 0x13);
    public static uint Srai(int rd, int rs1, int shamt) => I(shamt | 0x400, rs1, 5, rd, 0x13);

    public static uint Add(int rd, int rs1, int rs2) => R(0, rs2, rs1, 0, rd, 0x33);
    public static uint Sub(int rd, int rs1, int rs2) => R(0x20, rs2, rs1, 0, rd, 0x33);
    public static uint Sll(int rd, int rs1, int rs2) => R(0, rs2, rs1, 1, rd, 0x33);
    public static uint Slt(int rd, int rs1, int rs2) => R(0, rs2, rs1, 2, rd, 0x33);
    public static uint Sltu(int rd, int rs1, int rs2) => R(0, rs2, rs1, 3, rd, 0x33);
    public static uint Xor(int rd, int rs1, int rs2) => R(0, rs2, rs1, 4, rd, 0x33);
    public static uint Srl(int rd, int rs1, int rs2) => R(0, rs2, rs1, 5, rd, 0x33);
    public static uint Sra(int rd, int rs1, int rs2) => R(0x20, rs2, rs1, 5, rd, 0x33);
    public static uint Or(int rd, int rs1, int rs2) => R(0, rs2, rs1, 6, rd, 0x33);
    public static uint And(int rd, int rs1, int rs2) => R(0, rs2, rs1, 7, rd, 0x33);

    public static uint Mul(int rd, int rs1, int rs2) => R(1, rs2, rs1, 0, rd, 0x33);
    public static uint Mulh(int rd, int rs1, int rs2) => R(1, rs2, rs1, 1, rd, 0x33);
    public static uint Mulhsu(int rd, int rs1, int rs2) => R(1, rs2, rs1, 2, rd, 0x33);
    public static uint Mulhu(int rd, int rs1, int rs2) => R(1, rs2, rs1, 3, rd, 0x33);
    public static uint Div(int rd, int rs1, int rs2) => R(1, rs2, rs1, 4, rd, 0x33);
    public static uint Divu(int rd, int rs1, int rs2) => R(1, rs2, rs1, 5, rd, 0x33);
    public static uint Rem(int rd, int rs1, int rs2) => R(1, rs2, rs1, 6, rd, 0x33);
    public static uint Remu(int rd, int rs1, int rs2) => R(1, rs2, rs1, 7, rd, 0x33);

    public static uint Amo(uint funct5, int rd, int rs1, int rs2) => R(funct5 << 2, rs2, rs1, 2, rd, 0x2F);
    public static uint LrW(int rd, int rs1) => Amo(0x02, rd, rs1, 0);
    public static uint ScW(int rd, int rs1, int rs2) => Amo(0x03, rd, rs1, rs2);
    public static uint AmoSwapW(int rd, int rs1, int rs2) => Amo(0x01, rd, rs1, rs2);
    public static uint AmoAddW(int rd, int rs1, int rs2) => Amo(0x00, rd, rs1, rs2);

    public const uint Ecall = 0x00000073;
    public const uint Ebreak = 0x00100073;
    public const uint Fence = 0x0FF0000F;
    public const uint FenceI = 0x0000100F;
    public const uint Nop = 0x00000013;

    public static uint Csrrw(int rd, int csr, int rs1) => I(csr, rs1, 1, rd, 0x73);
    public static uint Csrrs(int rd, int csr, int rs1) => I(csr, rs1, 2, rd, 0x73);
    public static uint Csrrc(int rd, int csr, int rs1) => I(csr, rs1, 3, rd, 0x73);
    public static uint Csrrwi(int rd, int csr, int uimm) => I(csr, uimm, 5, rd, 0x73);
    public static uint Csrrsi(int rd, int csr, int uimm) => I(csr, uimm, 6, rd, 0x73);
    public static uint Csrrci(int rd, int csr, int uimm) => I(csr, uimm, 7, rd, 0x73);

    /// <summary>Loads a full 32-bit constant into <paramref name="rd"/> (two instructions: LUI + ADDI).</summary>
    public static uint[] Li(int rd, uint value)
    {
        int low = (int)(value << 20) >> 20;
        int high = (int)(value - (uint)low);
        return [Lui(rd, high), Addi(rd, rd, low)];
    }
}
