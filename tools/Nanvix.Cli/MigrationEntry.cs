using Nanvix.Kernel.Migration;

namespace Nanvix.Cli;

/// <summary>
/// One migration in the statistics file: which process, where from and to, bytes moved while it was frozen, when (the
/// freeze cycle), and the modeled downtime; how it was copied (mode), its pre-copy rounds and its total time from the
/// first round.
/// </summary>
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
    double DowntimeMicroseconds,
    string Mode,
    IReadOnlyList<MigrationRoundEntry> Rounds,
    long RoundBytes,
    int PrecopiedPages,
    ulong TotalCycles,
    double TotalMicroseconds,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] MigrationPostcopyEntry? Postcopy)
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
        report.DowntimeMicroseconds,
        MigrationRequest.NameOf(report.Mode),
        [.. report.Rounds.Select(r => new MigrationRoundEntry(r.Pages, r.Bytes, r.DirtyAfter, r.Cycles))],
        report.RoundBytes,
        report.PrecopiedPages,
        report.TotalCycles,
        report.TotalMicroseconds,
        report.Postcopy is { } post ? new MigrationPostcopyEntry(post.Pages, post.Pulled, post.Demanded, post.StallCycles, post.Complete, post.LastCycle, post.TotalCycles) : null);
}

/// <summary>
/// The post-copy part of a migration: pages left on the source, pulled, of them waited for by a thread, the cycles of
/// those waits, whether all came (the target's figures reached the source), the cycle the last landed, and the cycles
/// from the freeze to there.
/// </summary>
public sealed record MigrationPostcopyEntry(int PagesLeft, int Pulled, int WaitedFor, ulong StallCycles, bool Complete, ulong LastCycle, ulong TotalCycles);

/// <summary>One pre-copy round of a migration: pages sent, bytes (with the page lists), pages found written after it, cycles.</summary>
public sealed record MigrationRoundEntry(int Pages, long Bytes, int DirtyAfter, ulong Cycles);
