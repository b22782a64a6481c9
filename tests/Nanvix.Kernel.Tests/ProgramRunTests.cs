using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

public sealed class ProgramRunTests
{
    [Fact]
    public void Hello_prints_its_line_and_exits_with_0()
    {
        using var rig = new KernelRig();

        ProcessExit exit = rig.Run("hello");

        Assert.Equal("hello, world\n", rig.Output);
        Assert.Equal(0, exit.Status);
        Assert.False(exit.WasKilled);
    }

    [Fact]
    public void Arguments_reach_main_through_the_initial_stack_and_the_status_comes_back()
    {
        using var rig = new KernelRig();

        ProcessExit exit = rig.Run("echo", "one", "two words", "");

        Assert.Equal("argc=4\nargv[1]=one (3 chars)\nargv[2]=two words (9 chars)\nargv[3]= (0 chars)\n", rig.Output);
        Assert.Equal(3, exit.Status);
    }

    [Fact]
    public void Brk_grows_the_heap_and_refuses_what_does_not_fit()
    {
        using var rig = new KernelRig();

        ProcessExit exit = rig.Run("heap");

        Assert.Equal(0, exit.Status);
        Assert.Contains("step 4: 80000 bytes", rig.Output);
        Assert.Contains("sbrk(1 GB): refused", rig.Output);
        Assert.Contains("clock: advances", rig.Output);
    }

    [Fact]
    public void Every_frame_and_kernel_page_comes_back_when_a_process_ends()
    {
        using var rig = new KernelRig();
        int frames = rig.Kernel.Frames.FreeCount;
        int kernelPages = rig.Kernel.KernelPages.FreeCount;

        rig.Run("heap");
        rig.Run("fault", "stack");

        Assert.Equal(frames, rig.Kernel.Frames.FreeCount);
        Assert.Equal(kernelPages, rig.Kernel.KernelPages.FreeCount);
    }

    [Fact]
    public void Two_runs_of_the_same_program_count_the_same_instructions_and_cycles()
    {
        KernelStatistics Measure()
        {
            using var rig = new KernelRig();
            rig.Run("cpu", "2");
            return rig.Kernel.Statistics;
        }

        KernelStatistics first = Measure();

        Assert.Equal(first, Measure());
        Assert.True(first.Instructions > 100_000);
        Assert.True(first.Cycles >= first.Instructions);
    }

    [Fact]
    public void A_spawn_beyond_the_process_slots_is_refused_and_the_cluster_stays_usable()
    {
        using var rig = new KernelRig();
        for (int i = 0; i < KernelConstants.MaxProcesses; i++)
        {
            rig.Spawn("heap");
        }

        var error = Assert.Throws<KernelException>(() => rig.Spawn("hello"));
        Assert.Contains("process slots", error.Message);

        rig.Kernel.RunToCompletion();
        Assert.Equal(0, rig.Run("hello").Status);
    }

    [Fact]
    public void Arguments_longer_than_the_initial_stack_allows_are_refused()
    {
        using var rig = new KernelRig();

        var error = Assert.Throws<KernelException>(() => rig.Spawn("echo", new string('x', 5000)));

        Assert.Contains("arguments", error.Message);
        Assert.Equal(0, rig.Run("hello").Status);
    }
}
