namespace Nanvix.Kernel.Proc;

/// <summary>
/// Hands out process ids that are unique across the processor: every cluster's kernel draws from the same
/// sequence, so a pid names one process wherever it runs (and, later, wherever it moves).
/// </summary>
public sealed class ProcessIds(int first = KernelConstants.FirstPid)
{
    private int _next = first;

    public int Next() => _next++;
}
