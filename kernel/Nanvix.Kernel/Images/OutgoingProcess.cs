namespace Nanvix.Kernel.Images;

/// <summary>
/// A process frozen on its cluster for a move: its snapshot, the frames of its pages (in the order of the snapshot's
/// page list, where the page contents are read from) and the kernel pages its kernel state is staged in.
/// </summary>
public sealed class OutgoingProcess(int pid, int move, ProcessSnapshot snapshot, uint[] frames, uint[] staging)
{
    public int Pid { get; } = pid;

    /// <summary>The number of this move of the process (its <see cref="Layout.ThreadControl.Moves"/>).</summary>
    public int Move { get; } = move;

    public ProcessSnapshot Snapshot { get; } = snapshot;

    public uint[] Frames { get; } = frames;

    public uint[] Staging { get; } = staging;

    /// <summary>The NoC node the process moves to.</summary>
    public int TargetNode { get; init; } = -1;

    /// <summary>The pages a post-copy move leaves here for the target to pull: virtual page and the frame holding it.</summary>
    public IReadOnlyList<(uint Virtual, uint Frame)> OnDemand { get; init; } = [];

    /// <summary>Cycles the master core's D$ stalled while the kernel gathered the state (0 without the cache model).</summary>
    public ulong GatherStallCycles { get; init; }
}
