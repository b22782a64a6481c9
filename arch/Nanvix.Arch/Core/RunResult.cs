namespace Nanvix.Arch.Core;

/// <summary>
/// How a call to <see cref="Hart.Run"/> ended: either the instruction budget ran out (<see cref="IsTrap"/> false,
/// the context's pc is the next instruction) or a trap was taken (<see cref="IsTrap"/> true, the context's pc is
/// <see cref="Pc"/>, the instruction that trapped, which did not retire).
/// </summary>
public readonly struct RunResult
{
    private RunResult(bool isTrap, TrapCause cause, uint pc, uint tval, ulong retired)
    {
        IsTrap = isTrap;
        Cause = cause;
        Pc = pc;
        Tval = tval;
        Retired = retired;
    }

    /// <summary>True when a trap stopped the run; false when the budget ended.</summary>
    public bool IsTrap { get; }

    /// <summary>The mcause code of the trap; meaningless when <see cref="IsTrap"/> is false.</summary>
    public TrapCause Cause { get; }

    /// <summary>The pc of the trapping instruction (the ecall itself for <see cref="TrapCause.EcallFromUser"/>), or the next pc.</summary>
    public uint Pc { get; }

    /// <summary>
    /// The mtval value: the faulting virtual address for misaligned, access and page faults (the jump target for a
    /// misaligned jump), the instruction bits for an illegal instruction, the pc for a breakpoint, 0 for ecall.
    /// </summary>
    public uint Tval { get; }

    /// <summary>Instructions retired during this run.</summary>
    public ulong Retired { get; }

    public static RunResult BudgetEnded(uint pc, ulong retired) => new(false, default, pc, 0, retired);

    public static RunResult Trapped(TrapCause cause, uint pc, uint tval, ulong retired) => new(true, cause, pc, tval, retired);

    public override string ToString() =>
        IsTrap ? $"trap {Cause} at pc=0x{Pc:x8} tval=0x{Tval:x8} after {Retired}" : $"budget ended at pc=0x{Pc:x8} after {Retired}";
}
