using Nanvix.Arch.Core;

namespace Nanvix.Kernel.Proc;

/// <summary>Turns a trap that kills a process into its exit status (128 + the signal Linux would send) and words.</summary>
public static class FaultReport
{
    /// <summary>Signal numbers of Linux (asm-generic/signal.h).</summary>
    private const int SigIll = 4;
    private const int SigTrap = 5;
    private const int SigBus = 7;
    private const int SigSegv = 11;

    /// <summary>The status a shell shows for a process killed by the signal that matches <paramref name="cause"/>.</summary>
    public static int ExitStatus(TrapCause cause) => 128 + cause switch
    {
        TrapCause.IllegalInstruction => SigIll,
        TrapCause.Breakpoint => SigTrap,
        TrapCause.InstructionAddressMisaligned or TrapCause.LoadAddressMisaligned or TrapCause.StoreAddressMisaligned => SigBus,
        _ => SigSegv,
    };

    /// <summary>What happened, in words.</summary>
    public static string Describe(TrapCause cause) => cause switch
    {
        TrapCause.InstructionAddressMisaligned => "misaligned instruction address",
        TrapCause.InstructionAccessFault => "instruction access fault",
        TrapCause.IllegalInstruction => "illegal instruction",
        TrapCause.Breakpoint => "breakpoint (ebreak)",
        TrapCause.LoadAddressMisaligned => "misaligned load",
        TrapCause.LoadAccessFault => "load access fault",
        TrapCause.StoreAddressMisaligned => "misaligned store",
        TrapCause.StoreAccessFault => "store access fault",
        TrapCause.InstructionPageFault => "instruction page fault",
        TrapCause.LoadPageFault => "load page fault",
        TrapCause.StorePageFault => "store page fault",
        _ => $"trap {(uint)cause}",
    };
}
