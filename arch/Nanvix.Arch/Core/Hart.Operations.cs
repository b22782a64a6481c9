using System.Runtime.CompilerServices;
using Nanvix.Arch.Isa;

namespace Nanvix.Arch.Core;

/// <summary>
/// What an instruction computes, free of the core's state, shared by both engines: register access, the JALR target,
/// the AMO operations and RV32M division.
/// </summary>
public sealed partial class Hart
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref uint Reg(ref uint x, byte index) => ref Unsafe.Add(ref x, index);

    /// <summary>JALR's target, rs1 + imm with bit 0 cleared; false when it is not 4-byte aligned (the jump traps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool JumpTarget(uint rs1, int imm, out uint target)
    {
        target = (rs1 + (uint)imm) & ~1u;
        return (target & 2) == 0;
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
