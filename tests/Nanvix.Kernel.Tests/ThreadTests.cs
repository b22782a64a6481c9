using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>The thread and synchronization calls, driven by user/programs/threads.c, under both process layouts.</summary>
public sealed class ThreadTests
{
    public static TheoryData<ProcessLayoutKind, string> Cases()
    {
        var data = new TheoryData<ProcessLayoutKind, string>();
        foreach (ProcessLayoutKind layout in Enum.GetValues<ProcessLayoutKind>())
        {
            foreach (string name in (string[])["create-join", "join-finished", "join-self", "join-unknown", "limit", "mutex", "semaphore", "condition", "sleep-wakeup", "loop"])
            {
                data.Add(layout, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Thread_case_passes(ProcessLayoutKind layout, string name)
    {
        using var rig = new KernelRig(layout);

        ProcessExit exit = rig.Run("threads", name);

        Assert.Equal(0, exit.Status);
        Assert.Contains($"{name} ok\n", rig.Output);
        Assert.DoesNotContain("FAIL", rig.Output);
    }

    [Fact]
    public void Join_returns_each_thread_exit_value()
    {
        using var rig = new KernelRig();

        rig.Run("threads", "create-join");

        for (int t = 1; t <= 8; t++)
        {
            Assert.Contains($"thread {t} returned {t * t}\n", rig.Output);
        }
    }

    [Fact]
    public void One_thread_beyond_the_limit_of_18_gets_EAGAIN()
    {
        using var rig = new KernelRig();

        rig.Run("threads", "limit");

        Assert.Contains("limit: created 17 threads (18 with main)", rig.Output);
        Assert.Contains("limit: one more create = EAGAIN", rig.Output);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void Creating_and_joining_the_maximum_of_threads_in_a_loop_leaks_no_frame_and_no_kernel_page(ProcessLayoutKind layout)
    {
        using var rig = new KernelRig(layout);
        rig.Spawn("forkjoin", "17", "30");
        int frames = rig.Kernel.Frames.FreeCount;
        int kernelPages = rig.Kernel.KernelPages.FreeCount;
        int lowestFrames = frames;
        int lowestKernelPages = kernelPages;

        while (rig.Kernel.HasLiveProcesses && rig.Kernel.Step())
        {
            lowestFrames = Math.Min(lowestFrames, rig.Kernel.Frames.FreeCount);
            lowestKernelPages = Math.Min(lowestKernelPages, rig.Kernel.KernelPages.FreeCount);
        }

        // At most 17 threads are alive at once, each holding one stack frame and one kernel stack page; a leak of one
        // page per create would need 30 rounds x 17 threads = 510 pages, more than the cluster has.
        Assert.Equal("forkjoin threads=17 rounds=30 ok\n", rig.Output);
        Assert.InRange(frames - lowestFrames, 1, 17);
        Assert.InRange(kernelPages - lowestKernelPages, 1, 17);
    }

    [Fact]
    public void Both_layouts_print_the_same_output()
    {
        using var uarea = new KernelRig(ProcessLayoutKind.UArea);
        using var scattered = new KernelRig(ProcessLayoutKind.Scattered);

        uarea.Run("threads", "all");
        scattered.Run("threads", "all");

        Assert.Contains("threads: all 10 cases ok", uarea.Output);
        Assert.Equal(uarea.Output, scattered.Output);
    }

    [Fact]
    public void Without_the_cache_model_both_layouts_take_the_same_cycles()
    {
        using var uarea = new KernelRig(ProcessLayoutKind.UArea);
        using var scattered = new KernelRig(ProcessLayoutKind.Scattered);

        uarea.Run("forkjoin", "17", "3");
        scattered.Run("forkjoin", "17", "3");

        Assert.Equal(uarea.Kernel.Statistics, scattered.Kernel.Statistics);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void Two_runs_of_the_same_configuration_count_the_same(ProcessLayoutKind layout)
    {
        (KernelStatistics, ulong) Measure()
        {
            using var rig = new KernelRig(layout);
            rig.Kernel.EnableCaches(Arch.Cache.CacheGeometry.Mppa256, Arch.Cache.CacheGeometry.Mppa256);
            rig.Run("threads", "mutex");
            return (rig.Kernel.Statistics, rig.Kernel.Core(0).DataCache!.Kernel.Misses);
        }

        Assert.Equal(Measure(), Measure());
    }

    [Fact]
    public void A_deadlock_is_reported_with_who_waits_on_whom_and_kills_only_that_process()
    {
        using var rig = new KernelRig();
        int stuck = rig.Spawn("deadlock");
        int healthy = rig.Spawn("cpu", "1");

        IReadOnlyList<ProcessExit> exits = rig.Kernel.RunToCompletion();

        ProcessExit deadlocked = exits.Single(e => e.Pid == stuck);
        Assert.Equal(ClusterKernel<UAreaLayout>.DeadlockStatus, deadlocked.Status);
        Assert.Contains("deadlock: thread 0 joins thread 1", deadlocked.Diagnostic);
        Assert.Contains("thread 1 waits for mutex 1 (held by thread 2)", deadlocked.Diagnostic);
        Assert.Contains("thread 2 waits for mutex 0 (held by thread 1)", deadlocked.Diagnostic);
        Assert.Equal(0, exits.Single(e => e.Pid == healthy).Status);
    }
}
