using Nanvix.Hal.Processor;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>Where a requested migration stands.</summary>
public enum MigrationState
{
    /// <summary>Waiting for its cycle, for the process to settle, or for its daemon to be free.</summary>
    Pending,

    /// <summary>In its pre-copy rounds, or frozen on the source with its regions on their way.</summary>
    Moving,

    /// <summary>The process runs on the target; <see cref="MigrationTicket.Report"/> says what it cost.</summary>
    Done,

    /// <summary>It did not move (and runs where it was, if it still runs); <see cref="MigrationTicket.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>How a move copies its process.</summary>
public enum MigrationMode
{
    /// <summary>Freeze, copy everything, restore (the seed's way).</summary>
    Stop,

    /// <summary>Copy the pages in rounds while the process runs (the Sv32 dirty bits say what to copy again), then freeze and copy the rest.</summary>
    Precopy,

    /// <summary>Freeze, copy the kernel state, the stacks and the pages touched lately, run on the target, and pull the other pages from the source as they are touched (and in the background).</summary>
    Postcopy,
}

/// <summary>
/// One request to move process <see cref="Pid"/> to <see cref="Target"/> (from the command line, a test, or the
/// process itself), and what became of it.
/// </summary>
public sealed class MigrationTicket(int pid, ICluster target, ulong notBefore, bool byProcess, MigrationMode mode = MigrationMode.Stop)
{
    /// <summary>How the move copies the process.</summary>
    public MigrationMode Mode { get; } = mode;

    /// <summary>Pre-copy rounds at most (<see cref="MigrationMode.Precopy"/> only).</summary>
    public int PrecopyRounds { get; init; } = MigrationDaemon.DefaultPrecopyRounds;

    public int Pid { get; } = pid;

    public ICluster Target { get; } = target;

    /// <summary>The move happens at the first quantum boundary of the process's cluster at or after this cycle.</summary>
    public ulong NotBefore { get; } = notBefore;

    /// <summary>True when the process asked for it (kernel call <c>migrate</c>): its threads wait for the answer.</summary>
    public bool ByProcess { get; } = byProcess;

    public MigrationState State { get; internal set; }

    public MigrationReport? Report { get; internal set; }

    public string? Refusal { get; internal set; }

    /// <summary>Cycle at which it was refused, or at which the move began.</summary>
    public ulong Cycle { get; internal set; }

    internal System.Diagnostics.Stopwatch Watch { get; } = new();

    public override string ToString() => State switch
    {
        MigrationState.Done => Report!.ToString(),
        MigrationState.Refused => $"process {Pid} -> {Target.Name}: not moved at cycle {Cycle}: {Refusal}",
        _ => $"process {Pid} -> {Target.Name}: {State}",
    };
}
