namespace Nanvix.Arch.Isa;

/// <summary>
/// What a predecoded instruction does: one value per RV32IMA instruction the interpreter executes, plus
/// <see cref="Undecoded"/> (zero, so a fresh predecode page is all undecoded) and <see cref="Illegal"/>.
/// </summary>
public enum InstructionKind : byte
{
    /// <summary>The slot was never decoded, or was invalidated by a store or FENCE.I.</summary>
    Undecoded = 0,

    /// <summary>Not an RV32IMA user-mode instruction (including every compressed encoding); traps with cause 2.</summary>
    Illegal,

    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Fence,
    FenceI,
    Ecall,
    Ebreak,

    /// <summary>A read of a user counter CSR (number in the immediate); writes to counters are illegal.</summary>
    CsrRead,

    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    LrW,
    ScW,
    AmoSwapW,
    AmoAddW,
    AmoXorW,
    AmoAndW,
    AmoOrW,
    AmoMinW,
    AmoMaxW,
    AmoMinuW,
    AmoMaxuW,
}
