using Nanvix.Kernel.Images;
namespace Nanvix.Kernel.Migration;

/// <summary>
/// What one migration moved and what it cost, in simulated cycles (and µs at the clock) and host time. The phases:
/// freeze (the source gathers the kernel state into its staging area), transfer (from the manifest leaving the source
/// to the last region landing on the target), restore (the target puts the kernel state into its tables and the page
/// tables in place); downtime is from the freeze to the threads being ready on the target. Host time is the host's
/// work for the move, from the freeze to the source freeing the process, without the quanta run meanwhile. A pre-copy
/// move (<see cref="Mode"/>) adds its rounds before the freeze, and its total time from the first round.
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
    /// <summary>How the move copied the process.</summary>
    public MigrationMode Mode { get; init; }

    /// <summary>The pre-copy rounds before the freeze (none for stop-and-copy).</summary>
    public IReadOnlyList<PrecopyRound> Rounds { get; init; } = [];

    /// <summary>Pages the target had from the pre-copy rounds at the freeze (not written since they were sent).</summary>
    public int PrecopiedPages { get; init; }

    /// <summary>Cycles from the start of the move (the first pre-copy round, or the freeze) to the threads ready on the target.</summary>
    public ulong TotalCycles { get; init; }

    public double TotalMicroseconds { get; init; }

    /// <summary>The post-copy part of the move: the pages left on the source and how they came (null for the other modes).</summary>
    public PostcopyFigures? Postcopy { get; init; }

    /// <summary>Bytes sent while the process was frozen.</summary>
    public long TotalBytes => SectionBytes + StackBytes + KernelStateBytes + ContextBytes + IkcBytes + ManifestBytes;

    /// <summary>Bytes sent in the pre-copy rounds (pages and their page lists).</summary>
    public long RoundBytes => Rounds.Sum(r => r.Bytes);

    public override string ToString() =>
        $"process {Pid} {From} -> {To}: {TotalBytes} bytes (sections {SectionBytes}, stacks {StackBytes}, kernel state {KernelStateBytes}, contexts {ContextBytes}, IKC {IkcBytes}, page list {ManifestBytes}); " +
        $"freeze {FreezeCycles} cycles, transfer {TransferCycles} cycles, restore {RestoreCycles} cycles, downtime {DowntimeCycles} cycles ({DowntimeMicroseconds:0.0} us); host {HostTime.TotalMilliseconds:0.000} ms" +
        (Mode == MigrationMode.Precopy ? $"; {RoundsText()}" : "") + (Postcopy is { } post ? $"; {post}" : "");

    private string RoundsText() =>
        $"pre-copy {Rounds.Count} rounds before the freeze ({RoundBytes} bytes; pages {string.Join(", ", Rounds.Select(r => r.Pages))}; dirty after each {string.Join(", ", Rounds.Select(r => r.DirtyAfter))}), " +
        $"{PrecopiedPages} pages kept, total {TotalCycles} cycles ({TotalMicroseconds:0.0} us)";
}

/// <summary>
/// One pre-copy round: the pages it sent (and the bytes with their page lists), the pages found written when it was
/// over (what the next round, or the freeze, sends again), and its cycles from the scan to the last batch landing.
/// </summary>
public readonly record struct PrecopyRound(int Pages, long Bytes, int DirtyAfter, ulong Cycles);

/// <summary>
/// The pages a post-copy move left on the source (<see cref="Pages"/>) and how they came: pulled, of them waited for by
/// a thread (a fault, or a kernel call that needed one), the cycles threads waited for them in all, and the cycle the
/// last one landed (the move's end; its total time runs from the freeze to there). The target sends them once the last
/// page is there; until then (or if that message is lost) <see cref="Complete"/> is false (<see cref="Finish"/>).
/// </summary>
public sealed class PostcopyFigures(int pages, ulong frozen)
{
    public int Pages { get; } = pages;

    public int Pulled { get; private set; }

    public int Demanded { get; private set; }

    public ulong StallCycles { get; private set; }

    public ulong LastCycle { get; private set; }

    public bool Complete { get; private set; }

    /// <summary>Cycles from the freeze to the last page landing (0 until <see cref="Complete"/>).</summary>
    public ulong TotalCycles => Complete ? LastCycle - Math.Min(LastCycle, frozen) : 0;

    internal void Finish(int pulled, int demanded, ulong stallCycles, ulong lastCycle)
    {
        (Pulled, Demanded, StallCycles, LastCycle, Complete) = (pulled, demanded, stallCycles, lastCycle, true);
    }

    public override string ToString() => Complete
        ? $"post-copy {Pages} pages left on the source, {Pulled} pulled ({Demanded} waited for, {StallCycles} cycles of waits), the last at cycle {LastCycle}, total {TotalCycles} cycles"
        : $"post-copy {Pages} pages left on the source, not all pulled yet";
}
