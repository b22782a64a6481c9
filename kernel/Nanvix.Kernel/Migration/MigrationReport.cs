namespace Nanvix.Kernel.Migration;

/// <summary>What one migration moved and what it cost, in simulated cycles (and µs at the clock) and host time.</summary>
public sealed record MigrationReport(
    int Pid,
    string From,
    string To,
    long SectionBytes,
    long StackBytes,
    long KernelStateBytes,
    long ContextBytes,
    ulong FreezeCycle,
    ulong TransferCycles,
    ulong RestoreCycles,
    ulong DowntimeCycles,
    double DowntimeMicroseconds,
    TimeSpan HostTime)
{
    public long TotalBytes => SectionBytes + StackBytes + KernelStateBytes + ContextBytes;

    public override string ToString() =>
        $"process {Pid} {From} -> {To}: {TotalBytes} bytes (sections {SectionBytes}, stacks {StackBytes}, kernel state {KernelStateBytes}, contexts {ContextBytes}); " +
        $"transfer {TransferCycles} cycles, restore {RestoreCycles} cycles, downtime {DowntimeCycles} cycles ({DowntimeMicroseconds:0.0} us); host {HostTime.TotalMilliseconds:0.000} ms";
}
