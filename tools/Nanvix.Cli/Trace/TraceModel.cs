namespace Nanvix.Cli.Trace;

/// <summary>A timeline of a trace: a cluster (a process), a core (a thread), or a lane of events under a cluster.</summary>
/// <param name="Uuid">The track's number in the trace.</param>
/// <param name="Parent">The cluster's track, for tracks under it; 0 for a cluster.</param>
/// <param name="Pid">The cluster's number in the trace (its index + 1).</param>
/// <param name="Tid">For a core's track, its thread number in the trace; 0 otherwise.</param>
/// <param name="IsCounter">A counter track (values), not slices.</param>
public sealed record TraceTrack(ulong Uuid, string Name, ulong Parent, int Pid, int Tid, bool IsCounter);

/// <summary>
/// A slice of a track from cycle <paramref name="Start"/> to <paramref name="End"/>, nested at <paramref name="Depth"/>
/// (0 outermost). <paramref name="FlowOut"/> starts a flow arrow, <paramref name="FlowIn"/> ends one (0 for none).
/// </summary>
public sealed record TraceSlice(ulong Track, ulong Start, ulong End, int Depth, string Name, IReadOnlyList<(string Name, long Value)> Arguments, ulong FlowOut = 0, ulong FlowIn = 0);

/// <summary>A value of a counter track at a cycle.</summary>
public readonly record struct TraceCounter(ulong Track, ulong Cycle, long Value);

/// <summary>Everything a trace shows, in simulated cycles; the writers turn cycles into time at <see cref="FrequencyHz"/>.</summary>
public sealed class TraceModel(long frequencyHz)
{
    public long FrequencyHz { get; } = frequencyHz;

    public List<TraceTrack> Tracks { get; } = [];

    public List<TraceSlice> Slices { get; } = [];

    public List<TraceCounter> Counters { get; } = [];

    /// <summary>Nanoseconds at cycle <paramref name="cycle"/> (rounded down).</summary>
    public ulong Nanoseconds(ulong cycle) => (ulong)(((UInt128)cycle * 1_000_000_000) / (ulong)FrequencyHz);

    /// <summary>
    /// Begin and end points of every slice and every counter value in the order a reader wants them: by time; at one time
    /// ends before begins, inner ends first and outer begins first; then in the order they were recorded.
    /// </summary>
    public IEnumerable<(ulong Cycle, int Kind, TraceSlice? Slice, TraceCounter Counter)> Events()
    {
        var events = new List<(ulong Cycle, int Order, int Index, int Kind, TraceSlice? Slice, TraceCounter Counter)>(Slices.Count * 2 + Counters.Count);
        for (int i = 0; i < Slices.Count; i++)
        {
            TraceSlice slice = Slices[i];
            events.Add((slice.Start, 1000 + slice.Depth, i, Begin, slice, default));
            events.Add((slice.End, -slice.Depth, i, End, slice, default));
        }

        for (int i = 0; i < Counters.Count; i++)
        {
            events.Add((Counters[i].Cycle, 2000, i, Counter, null, Counters[i]));
        }

        events.Sort((a, b) => a.Cycle != b.Cycle ? a.Cycle.CompareTo(b.Cycle) : a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Index.CompareTo(b.Index));
        return events.Select(e => (e.Cycle, e.Kind, e.Slice, e.Counter));
    }

    public const int Begin = 1;

    public const int End = 2;

    public const int Counter = 3;
}
