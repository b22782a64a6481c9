namespace Nanvix.Kernel.Proc;

/// <summary>
/// How a process ended: its exit status and, if the kernel killed it, the one-line diagnostic; <paramref name="Cycle"/>
/// is the clock of the core that ended it (the one serving its exit or the one it faulted on), 0 when none did.
/// </summary>
public sealed record ProcessExit(int Pid, int Status, string? Diagnostic, ulong Cycle = 0)
{
    public bool WasKilled => Diagnostic is not null;
}
