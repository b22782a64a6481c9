using System.Runtime.InteropServices;

namespace Nanvix.Arch.Isa;

/// <summary>
/// One 4-byte instruction decoded once: what it does, its register numbers and its sign-extended immediate, and what
/// the block engine (<c>HartEngine.Fast</c>) knows of the basic block that runs from it. Sixteen bytes, so a 4 KB code
/// page predecodes into 16 KB. For <see cref="InstructionKind.Illegal"/> the immediate holds the raw instruction bits
/// (the trap value); for <see cref="InstructionKind.CsrRead"/> it holds the CSR number.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct DecodedInstruction
{
    public InstructionKind Kind;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
    public int Imm;

    /// <summary>
    /// Instructions from this one to the end of its basic block, this one included (at most a page's 1024); 0 when no
    /// block was built from here, or when this instruction is one that the block engine leaves to the stepping loop.
    /// </summary>
    public ushort BlockLength;

    /// <summary>
    /// The register the block engine writes: <see cref="Rd"/>, or 32 (the context's pc word, rewritten whenever a run
    /// ends, so a write sink) when <see cref="Rd"/> is x0, so that no block instruction writes x0.
    /// </summary>
    public byte Destination;

    /// <summary>What the block engine dispatches on: <see cref="Kind"/>, or a fused pair of this instruction and the next.</summary>
    public byte Op;

    /// <summary>Base cycles (with no cache stall) of the <see cref="BlockLength"/> instructions from this one.</summary>
    public uint BlockCycles;

    public DecodedInstruction(InstructionKind kind, uint rd, uint rs1, uint rs2, int imm)
    {
        Kind = kind;
        Rd = (byte)rd;
        Rs1 = (byte)rs1;
        Rs2 = (byte)rs2;
        Imm = imm;
    }
}
