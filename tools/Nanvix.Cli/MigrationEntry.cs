using Nanvix.Kernel.Migration;

namespace Nanvix.Cli;

/// <summary>One migration in the statistics file: which process, where from and to, bytes moved, when (the freeze cycle), and the modeled downtime.</summary>
public sealed record MigrationEntry(
    int Pid,
    string From,
    string To,
    long Bytes,
    long SectionBytes,
    long StackBytes,
    long KernelStateBytes,
    long ContextBytes,
    long IkcBytes,
    long PageListBytes,
    ulong FreezeCycle,
    ulong FreezeCycles,
    ulong TransferCycles,
    ulong RestoreCycles,
    ulong DowntimeCycles,
    double DowntimeMicroseconds)
{
    public static MigrationEntry Of(MigrationReport report) => new(
        report.Pid,
        report.From,
        report.To,
        report.TotalBytes,
        report.SectionBytes,
        report.StackBytes,
        report.KernelStateBytes,
        report.ContextBytes,
        report.IkcBytes,
        report.ManifestBytes,
        report.FreezeCycle,
        report.FreezeCycles,
        report.TransferCycles,
        report.RestoreCycles,
        report.DowntimeCycles,
        report.DowntimeMicroseconds);
}
