namespace Nanvix.Hal.Time;

/// <summary>
/// A deterministic discrete-event scheduler in simulated cycles. Events run in order of cycle, and events of the same
/// cycle in the order they were scheduled, so the same scenario always gives the same trace. The queue is a binary
/// heap of small structs: scheduling an event allocates nothing once the heap has grown to its working size.
/// </summary>
public sealed class EventScheduler : IClock
{
    private readonly PriorityQueue<Pending, (ulong Cycle, ulong Sequence)> _queue = new();
    private ulong _sequence;
    private List<TraceEntry>? _trace;

    public EventScheduler(long frequencyHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frequencyHz, 1);
        FrequencyHz = frequencyHz;
    }

    /// <inheritdoc/>
    public ulong Now { get; private set; }

    /// <inheritdoc/>
    public long FrequencyHz { get; }

    /// <summary>Events scheduled and not yet run.</summary>
    public int PendingCount => _queue.Count;

    /// <summary>Events run since the scheduler was made.</summary>
    public ulong EventsRun { get; private set; }

    /// <summary>The events run since <see cref="StartTrace"/>, or null when no trace is kept.</summary>
    public IReadOnlyList<TraceEntry>? Trace => _trace;

    /// <summary>Starts (or restarts) recording every event that runs.</summary>
    public void StartTrace() => _trace = [];

    /// <summary>Runs <paramref name="target"/> at cycle <paramref name="cycle"/>, which may not lie in the past.</summary>
    [KernelHotPath]
    public void Schedule(ulong cycle, IEventTarget target, long argument, string label)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (cycle < Now)
        {
            throw new InvalidOperationException($"event '{label}' scheduled at cycle {cycle}, in the past (now is {Now})");
        }

        _queue.Enqueue(new Pending(target, argument, label), (cycle, _sequence++));
    }

    /// <summary>Runs <paramref name="target"/> <paramref name="delay"/> cycles from now.</summary>
    public void ScheduleAfter(ulong delay, IEventTarget target, long argument, string label) =>
        Schedule(Now + delay, target, argument, label);

    /// <summary>Runs the next event, advancing time to it. False when nothing is pending.</summary>
    [KernelHotPath]
    public bool Step()
    {
        if (!_queue.TryDequeue(out Pending next, out (ulong Cycle, ulong Sequence) key))
        {
            return false;
        }

        Now = key.Cycle;
        EventsRun++;
        _trace?.Add(new TraceEntry(key.Cycle, key.Sequence, next.Label, next.Argument));
        next.Target.OnEvent(key.Cycle, next.Argument);
        return true;
    }

    /// <summary>The cycle of the next pending event; false when none is pending.</summary>
    public bool TryPeek(out ulong cycle)
    {
        bool any = _queue.TryPeek(out _, out (ulong Cycle, ulong Sequence) key);
        cycle = key.Cycle;
        return any;
    }

    /// <summary>Runs events until none is pending; returns how many ran.</summary>
    public ulong RunUntilIdle()
    {
        ulong before = EventsRun;
        while (Step())
        {
        }

        return EventsRun - before;
    }

    /// <summary>Runs every event due at or before <paramref name="cycle"/>, then sets the time to <paramref name="cycle"/>.</summary>
    public void RunUntil(ulong cycle)
    {
        if (cycle < Now)
        {
            throw new InvalidOperationException($"cannot run until cycle {cycle}: time is already {Now}");
        }

        while (_queue.TryPeek(out _, out (ulong Cycle, ulong Sequence) key) && key.Cycle <= cycle)
        {
            Step();
        }

        Now = cycle;
    }

    private readonly record struct Pending(IEventTarget Target, long Argument, string Label);
}
