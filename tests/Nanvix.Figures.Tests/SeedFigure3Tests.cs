using Nanvix.Figures;
using Nanvix.Kernel.Layout;
using Nanvix.Tests.Shared;

namespace Nanvix.Figures.Tests;

/// <summary>The runs behind the seed's Fig. 3 in modeled form (<see cref="SeedFigure3"/>): deterministic, and showing what docs/layouts.md says they show.</summary>
public sealed class SeedFigure3Tests
{
    [Fact]
    public void The_same_run_counts_the_same()
    {
        Assert.Equal(SeedFigure3.Run(ProcessLayoutKind.Scattered, 3, 2, 2), SeedFigure3.Run(ProcessLayoutKind.Scattered, 3, 2, 2));
    }

    [Fact]
    public void Four_packed_user_areas_take_conflict_misses_that_a_gap_between_them_removes()
    {
        Fig3Run packed = SeedFigure3.Run(ProcessLayoutKind.UArea, 4, 3, SeedFigure3.Crowd);
        Fig3Run spaced = SeedFigure3.Run(ProcessLayoutKind.UArea, 4, 3, SeedFigure3.Crowd, SeedFigure3.Gap);
        Fig3Run scattered = SeedFigure3.Run(ProcessLayoutKind.Scattered, 4, 3, SeedFigure3.Crowd);

        Assert.True(packed.KernelDataMisses > 3 * spaced.KernelDataMisses, $"packed {packed.KernelDataMisses}, spaced {spaced.KernelDataMisses}");
        Assert.True(spaced.Cycles < packed.Cycles);
        Assert.True(scattered.KernelDataMisses < packed.KernelDataMisses);
        Assert.Equal(packed.KernelBranches, spaced.KernelBranches); // the same text runs under either plan
    }

    [Fact]
    public void Beside_a_ping_pong_the_fork_join_cycles_are_its_own_and_grow_with_its_rounds()
    {
        string pingpong = RepositoryFiles.UserProgramPath("pingpong");
        Fig3Run idle = SeedFigure3.RunBesideIkc(ProcessLayoutKind.UArea, 2, 0, pingpong);
        Fig3Run busy = SeedFigure3.RunBesideIkc(ProcessLayoutKind.UArea, 2, 3, pingpong);

        Assert.True(idle.Cycles > 0);
        Assert.True(busy.Cycles > idle.Cycles);
        Assert.True(busy.KernelBranches > idle.KernelBranches);
    }

    [Fact]
    public void Beside_a_memory_bound_process_the_fork_join_ends_first_and_its_cycles_are_its_own()
    {
        string pages = RepositoryFiles.UserProgramPath("pages");
        Fig3Run idle = SeedFigure3.RunBesideMemoryBound(ProcessLayoutKind.Scattered, 2, 0, pages);
        Fig3Run busy = SeedFigure3.RunBesideMemoryBound(ProcessLayoutKind.Scattered, 2, 3, pages);
        Fig3Run alone = SeedFigure3.Run(ProcessLayoutKind.Scattered, 2, 3, 1);

        // The fork-join's exit, not the cluster's end (the memory-bound process runs on long after).
        Assert.True(idle.Cycles > 0 && busy.Cycles > idle.Cycles);
        Assert.True(busy.Cycles < alone.Cycles * 2, $"beside {busy.Cycles}, alone {alone.Cycles}");
        Assert.True(busy.KernelBranches > idle.KernelBranches);
        Assert.Equal(busy, SeedFigure3.RunBesideMemoryBound(ProcessLayoutKind.Scattered, 2, 3, pages));
    }
}
