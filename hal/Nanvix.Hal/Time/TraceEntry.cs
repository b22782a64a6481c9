namespace Nanvix.Hal.Time;

/// <summary>One event as the scheduler ran it: when, in which order, what, with which argument.</summary>
public readonly record struct TraceEntry(ulong Cycle, ulong Sequence, string Label, long Argument)
{
    public override string ToString() => $"{Cycle,12} #{Sequence,-6} {Label} {Argument}";
}
