namespace Nanvix.Kernel.Proc;

/// <summary>How a process ended: its exit status and, if the kernel killed it, the one-line diagnostic.</summary>
public sealed record ProcessExit(int Pid, int Status, string? Diagnostic)
{
    public bool WasKilled => Diagnostic is not null;
}
