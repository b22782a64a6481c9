using Nanvix.Hal.Time;

namespace Nanvix.Hal.Tests.Time;

public sealed class EventSchedulerTests
{
    private sealed class Recorder : IEventTarget
    {
        public List<(ulong Cycle, long Argument)> Seen { get; } = [];

        public void OnEvent(ulong cycle, long argument) => Seen.Add((cycle, argument));
    }

    [Fact]
    public void Events_run_in_cycle_order_and_same_cycle_events_in_scheduling_order()
    {
        var scheduler = new EventScheduler(400_000_000);
        var recorder = new Recorder();
        scheduler.Schedule(30, recorder, 1, "t");
        scheduler.Schedule(10, recorder, 2, "t");
        scheduler.Schedule(30, recorder, 3, "t");
        scheduler.Schedule(10, recorder, 4, "t");

        scheduler.RunUntilIdle();

        Assert.Equal([(10ul, 2L), (10ul, 4L), (30ul, 1L), (30ul, 3L)], recorder.Seen);
        Assert.Equal(30ul, scheduler.Now);
    }

    [Fact]
    public void Scheduling_in_the_past_is_refused()
    {
        var scheduler = new EventScheduler(1000);
        scheduler.RunUntil(50);

        var error = Assert.Throws<InvalidOperationException>(() => scheduler.Schedule(49, new Recorder(), 0, "late"));

        Assert.Contains("in the past", error.Message);
    }

    [Fact]
    public void Run_until_stops_at_the_given_cycle_and_leaves_later_events()
    {
        var scheduler = new EventScheduler(1000);
        var recorder = new Recorder();
        scheduler.Schedule(5, recorder, 1, "t");
        scheduler.Schedule(500, recorder, 2, "t");

        scheduler.RunUntil(100);

        Assert.Single(recorder.Seen);
        Assert.Equal(100ul, scheduler.Now);
        Assert.Equal(1, scheduler.PendingCount);
    }

    [Fact]
    public void Microseconds_follow_the_clock_frequency()
    {
        var scheduler = new EventScheduler(400_000_000);

        Assert.Equal(1.0, scheduler.Microseconds(400), 12);
    }

    [Fact]
    public void Trace_records_every_event_with_its_order()
    {
        var scheduler = new EventScheduler(1000);
        scheduler.StartTrace();
        scheduler.Schedule(3, new Recorder(), 9, "noc.test");

        scheduler.RunUntilIdle();

        Assert.Equal([new TraceEntry(3, 0, "noc.test", 9)], scheduler.Trace!);
    }
}
