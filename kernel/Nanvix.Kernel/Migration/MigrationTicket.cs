using Nanvix.Hal.Processor;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>Where a requested migration stands.</summary>
public enum MigrationState
{
    /// <summary>Waiting for its cycle, for the process to settle, or for its daemon to be free.</summary>
    Pending,

    /// <summary>Frozen on the source, its regions on their way.</summary>
    Moving,

    /// <summary>The process runs on the target; <see cref="MigrationTicket.Report"/> says what it cost.</summary>
    Done,

    /// <summary>It did not move (and runs where it was, if it still runs); <see cref="MigrationTicket.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>
/// One request to move process <see cref="Pid"/> to <see cref="Target"/> (from the command line, a test, or the
/// process itself), and what became of it.
/// </summary>
public sealed class MigrationTicket(int pid, ICluster target, ulong notBefore, bool byProcess)
{
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
