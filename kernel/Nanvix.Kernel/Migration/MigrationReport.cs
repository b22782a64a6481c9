using Nanvix.Kernel.Images;
namespace Nanvix.Kernel.Migration;

/// <summary>
/// What one migration moved and what it cost, in simulated cycles (and µs at the clock) and host time. The phases:
/// freeze (the source gathers the kernel state into its staging area), transfer (from the manifest leaving the source
/// to the last region landing on the target), restore (the target puts the kernel state into its tables and the page
/// tables in place); downtime is from the freeze to the threads being ready on the target. Host time is the host's
/// work for the move, from the freeze to the source freeing the process, without the quanta run meanwhile.
/// </summary>
public sealed record MigrationReport(
    int Pid,
    string From,
    string To,
    long SectionBytes,
    long StackBytes,
    long KernelStateBytes,
    long ContextBytes,
    long IkcBytes,
    long ManifestBytes,
    ulong FreezeCycle,
    ulong FreezeCycles,
    ulong TransferCycles,
    ulong RestoreCycles,
    ulong DowntimeCycles,
    double DowntimeMicroseconds,
    TimeSpan HostTime)
{
    public long TotalBytes => SectionBytes + StackBytes + KernelStateBytes + ContextBytes + IkcBytes + ManifestBytes;

    public override string ToString() =>
        $"process {Pid} {From} -> {To}: {TotalBytes} bytes (sections {SectionBytes}, stacks {StackBytes}, kernel state {KernelStateBytes}, contexts {ContextBytes}, IKC {IkcBytes}, page list {ManifestBytes}); " +
        $"freeze {FreezeCycles} cycles, transfer {TransferCycles} cycles, restore {RestoreCycles} cycles, downtime {DowntimeCycles} cycles ({DowntimeMicroseconds:0.0} us); host {HostTime.TotalMilliseconds:0.000} ms";
}
