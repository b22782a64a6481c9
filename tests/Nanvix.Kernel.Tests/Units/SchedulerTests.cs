using Nanvix.Arch.Core;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// <see cref="Scheduler{TLayout}"/> alone over the run queues and thread tables in kernel data, under each layout: a
/// queue is a ring in round-robin order; the next quantum goes to the core that can start soonest (ties to the lowest),
/// running the first thread of its queues that is ready by then.
/// </summary>
public abstract class SchedulerTests<TLayout> : IDisposable
    where TLayout : struct, IProcessLayout
{
    private readonly KernelDataRig _rig = new();
    private readonly KernelState<TLayout> _state;
    private readonly ICore[] _cores;
    private readonly Scheduler<TLayout> _scheduler;

    protected SchedulerTests()
    {
        _state = _rig.State<TLayout>();
        _cores = _rig.Cores(4);
        _scheduler = new Scheduler<TLayout>(_state, _cores, _rig.Processes);
    }

    [Fact]
    public void Enqueued_threads_wait_in_arrival_order_in_the_queue_in_kernel_data()
    {
        _scheduler.Enqueue(0, 5);
        _scheduler.Enqueue(0, 2);
        _scheduler.Enqueue(0, 9);

        Assert.Equal([5, 2, 9], Queue(0));
        RunQueue inMemory = _rig.Memory.Read<RunQueue>(TLayout.RunQueue(_state.Plan, 0));
        Assert.Equal(0, inMemory.Head);
        Assert.Equal(3, inMemory.Count);
        Assert.Equal(9, inMemory.Threads[2]);
    }

    [Fact]
    public void A_queue_holds_every_thread_a_process_may_have()
    {
        Assert.True(RunQueue.Capacity >= KernelConstants.MaxThreads);
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            _scheduler.Enqueue(1, t);
        }

        Assert.Equal(Enumerable.Range(0, KernelConstants.MaxThreads), Queue(1));
    }

    [Fact]
    public void Removing_a_thread_keeps_the_others_in_order_and_removing_an_absent_one_changes_nothing()
    {
        foreach (int t in (int[])[1, 2, 3, 4])
        {
            _scheduler.Enqueue(0, t);
        }

        _scheduler.Remove(0, 2);
        Assert.Equal([1, 3, 4], Queue(0));

        _scheduler.Remove(0, 7);
        Assert.Equal([1, 3, 4], Queue(0));

        _scheduler.Remove(0, 4);
        _scheduler.Remove(0, 1);
        Assert.Equal([3], Queue(0));
    }

    [Fact]
    public void Rotating_puts_the_thread_at_the_tail()
    {
        foreach (int t in (int[])[1, 2, 3])
        {
            _scheduler.Enqueue(0, t);
        }

        _scheduler.Rotate(0, 1);
        Assert.Equal([2, 3, 1], Queue(0));
        _scheduler.Rotate(0, 3);
        Assert.Equal([2, 1, 3], Queue(0));
    }

    [Fact]
    public void A_queue_whose_head_is_near_the_end_of_its_ring_wraps_around()
    {
        // The scheduler itself keeps Head at 0, but a queue is a ring: one restored with another head works the same.
        _state.RunQueue(0) = new RunQueue { Head = RunQueue.Capacity - 2 };
        foreach (int t in (int[])[1, 2, 3, 4])
        {
            _scheduler.Enqueue(0, t);
        }

        ref RunQueue queue = ref _state.RunQueue(0);
        Assert.Equal([3, 4], new[] { queue.Threads[0], queue.Threads[1] }.Select(b => (int)b));
        Assert.Equal([1, 2, 3, 4], Queue(0));

        _scheduler.Remove(0, 2);
        Assert.Equal([1, 3, 4], Queue(0));
        _scheduler.Rotate(0, 1);
        Assert.Equal([3, 4, 1], Queue(0));

        // The first ready thread in ring order runs, not the one in the lowest slot.
        Live(0);
        foreach (int t in (int[])[1, 3, 4])
        {
            Thread(0, t, core: 1, ThreadStatus.Ready);
        }

        Assert.True(_scheduler.TryPick(out _, out _, out int tid));
        Assert.Equal(3, tid);
    }

    [Fact]
    public void The_queues_of_two_processes_are_apart()
    {
        _scheduler.Enqueue(0, 1);
        _scheduler.Enqueue(2, 4);
        _scheduler.Enqueue(2, 5);
        _scheduler.Remove(0, 4);

        Assert.Equal([1], Queue(0));
        Assert.Empty(Queue(1));
        Assert.Equal([4, 5], Queue(2));
    }

    [Fact]
    public void Nothing_is_picked_when_no_live_process_has_a_ready_thread()
    {
        Live(0);
        Enqueued(0, 1, core: 1, ThreadStatus.Blocked);
        Enqueued(0, 2, core: 2, ThreadStatus.Zombie);
        Enqueued(1, 3, core: 1, ThreadStatus.Ready);
        _rig.Processes[1].State = ProcessState.Frozen;

        Assert.False(_scheduler.TryPick(out int core, out int process, out int tid, out ulong start));
        Assert.Equal((-1, -1, -1, ulong.MaxValue), (core, process, tid, start));
    }

    [Fact]
    public void The_core_that_can_start_soonest_gets_the_quantum()
    {
        Live(0);
        Ready(0, 1, core: 1);
        Ready(0, 2, core: 2);
        Ready(0, 3, core: 3);
        _cores[1].Cycles = 900;
        _cores[2].Cycles = 300;
        _cores[3].Cycles = 600;

        Assert.True(_scheduler.TryPick(out int core, out int process, out int tid, out ulong start));

        Assert.Equal((2, 0, 2, 300UL), (core, process, tid, start));
    }

    [Fact]
    public void Cores_that_can_start_at_the_same_cycle_go_lowest_first()
    {
        Live(0);
        Ready(0, 1, core: 3);
        Ready(0, 2, core: 2);
        _cores[2].Cycles = 500;
        _cores[3].Cycles = 500;

        Assert.True(_scheduler.TryPick(out int core, out _, out int tid, out ulong start));

        Assert.Equal((2, 2, 500UL), (core, tid, start));
    }

    [Fact]
    public void A_thread_ready_only_later_starts_at_its_ready_time_and_loses_to_one_ready_sooner_elsewhere()
    {
        Live(0);
        Ready(0, 1, core: 1, readyAt: 2_000);
        Ready(0, 2, core: 2, readyAt: 1_500);
        _cores[1].Cycles = 100;
        _cores[2].Cycles = 1_000;

        Assert.True(_scheduler.TryPick(out int core, out _, out int tid, out ulong start));

        Assert.Equal((2, 2, 1_500UL), (core, tid, start));
    }

    [Fact]
    public void On_one_core_the_first_thread_in_queue_order_that_is_ready_now_runs()
    {
        Live(0);
        Ready(0, 4, core: 1, readyAt: 5_000);
        Enqueued(0, 5, core: 1, ThreadStatus.Blocked);
        Ready(0, 6, core: 2);
        Ready(0, 7, core: 1);
        Ready(0, 8, core: 1);
        _cores[1].Cycles = 1_000;
        _cores[2].Cycles = 2_000;

        Assert.True(_scheduler.TryPick(out int core, out _, out int tid, out ulong start));

        Assert.Equal((1, 7, 1_000UL), (core, tid, start));
    }

    [Fact]
    public void Threads_ready_at_the_same_later_cycle_run_in_queue_order()
    {
        Live(0);
        Ready(0, 9, core: 1, readyAt: 3_000);
        Ready(0, 3, core: 1, readyAt: 3_000);

        Assert.True(_scheduler.TryPick(out _, out _, out int tid, out ulong start));

        Assert.Equal((9, 3_000UL), (tid, start));
    }

    [Fact]
    public void Processes_share_a_core_lowest_slot_first_when_both_are_ready_now()
    {
        Live(1);
        Live(3);
        Ready(3, 1, core: 1);
        Ready(1, 2, core: 1);

        Assert.True(_scheduler.TryPick(out _, out int process, out int tid));
        Assert.Equal((1, 2), (process, tid));

        _rig.Processes[1].State = ProcessState.Exited;
        Assert.True(_scheduler.TryPick(out _, out process, out tid));
        Assert.Equal((3, 1), (process, tid));
    }

    [Fact]
    public void A_new_thread_goes_to_the_user_core_with_the_fewest_live_threads()
    {
        // Core 0 is the master and never gets one; ready and blocked threads of live processes count, the rest do not.
        Assert.Equal(1, _scheduler.LeastLoadedCore());

        Live(0);
        Live(1);
        Thread(0, 0, core: 1, ThreadStatus.Ready);
        Thread(0, 1, core: 1, ThreadStatus.Blocked);
        Thread(1, 0, core: 2, ThreadStatus.Ready);
        Thread(1, 1, core: 3, ThreadStatus.Zombie);
        Thread(2, 0, core: 3, ThreadStatus.Ready);
        Assert.Equal(3, _scheduler.LeastLoadedCore());

        Thread(0, 2, core: 3, ThreadStatus.Blocked);
        Assert.Equal(2, _scheduler.LeastLoadedCore());
    }

    public void Dispose()
    {
        _rig.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The thread ids of <paramref name="process"/>'s queue, head first, read from kernel data.</summary>
    private List<int> Queue(int process)
    {
        RunQueue queue = _rig.Memory.Read<RunQueue>(TLayout.RunQueue(_state.Plan, process));
        var tids = new List<int>();
        for (int i = 0; i < queue.Count; i++)
        {
            tids.Add(queue.Threads[(queue.Head + i) % RunQueue.Capacity]);
        }

        return tids;
    }

    private void Live(int slot)
    {
        ref ProcessRecord record = ref _rig.Processes[slot];
        record.Pid = 10 + slot;
        record.State = ProcessState.Ready;
    }

    private void Thread(int process, int tid, int core, ThreadStatus status, ulong readyAt = 0)
    {
        ref ThreadEntry thread = ref _state.Thread(process, tid);
        thread.Tid = tid;
        thread.Core = core;
        thread.State = status;
        thread.ReadyAt = readyAt;
    }

    private void Enqueued(int process, int tid, int core, ThreadStatus status, ulong readyAt = 0)
    {
        Thread(process, tid, core, status, readyAt);
        _scheduler.Enqueue(process, tid);
    }

    private void Ready(int process, int tid, int core, ulong readyAt = 0) => Enqueued(process, tid, core, ThreadStatus.Ready, readyAt);
}
