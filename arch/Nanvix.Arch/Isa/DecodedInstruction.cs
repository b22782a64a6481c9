using System.Runtime.InteropServices;

namespace Nanvix.Arch.Isa;

/// <summary>
/// One 4-byte instruction decoded once: what it does, its register numbers and its sign-extended immediate. Eight
/// bytes, so a 4 KB code page predecodes into 8 KB. For <see cref="InstructionKind.Illegal"/> the immediate holds the
/// raw instruction bits (the trap value); for <see cref="InstructionKind.CsrRead"/> it holds the CSR number.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public struct DecodedInstruction
{
    public InstructionKind Kind;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
    public int Imm;

    public DecodedInstruction(InstructionKind kind, uint rd, uint rs1, uint rs2, int imm)
    {
        Kind = kind;
        Rd = (byte)rd;
        Rs1 = (byte)rs1;
        Rs2 = (byte)rs2;
        Imm = imm;
    }
}
