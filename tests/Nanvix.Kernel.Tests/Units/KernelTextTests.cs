using Nanvix.Arch.Cache;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>The kernel text map: its layout in the kernel image, and what running a path costs the serving core's I$.</summary>
public sealed class KernelTextTests : IDisposable
{
    private readonly Processor _processor = new(Mppa256.Spec());

    public void Dispose() => _processor.Dispose();

    public static TheoryData<KernelPath> Paths()
    {
        var data = new TheoryData<KernelPath>();
        for (int p = 0; p < KernelText.PathCount; p++)
        {
            data.Add((KernelPath)p);
        }

        return data;
    }

    [Fact]
    public void Routines_are_laid_out_in_order_on_16_byte_boundaries_without_overlap_inside_the_kernel_image()
    {
        int end = 0;
        for (int r = 0; r < KernelText.RoutineCount; r++)
        {
            var routine = (KernelRoutine)r;
            int offset = KernelText.Offset(routine);
            Assert.Equal(0, offset % KernelText.Alignment);
            Assert.True(offset >= end, $"{routine} starts at {offset}, inside the routine before it (ends at {end})");
            KernelRoutineInfo info = KernelText.Info(routine);
            Assert.True(info.Bytes > 0 && info.Instructions > 0 && info.Branches >= 0 && info.Instructions <= info.Bytes, $"{routine}: {info}");
            Assert.False(string.IsNullOrWhiteSpace(info.Source));
            end = offset + info.Bytes;
        }

        Assert.Equal(end, KernelText.Size);
        Assert.True(KernelText.Size <= (int)_processor.Cluster("CC0").Memory.Map[MemoryRegionNames.KernelImage].Size);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_path_fetches_exactly_its_text_map_footprint_through_the_serving_core_I_cache(KernelPath path)
    {
        ICluster cluster = _processor.Cluster("CC1");
        ICore core = cluster.Cores[2];
        core.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        var memory = new KernelMemory(cluster.Memory) { Serving = core };
        ulong cycles = core.Cycles;
        int lines = KernelText.LinesOf(path, CacheGeometry.Mppa256.LineBytes);

        memory.Execute(path);

        // Cold cache: every line is fetched and misses once; the user's counts and the D$ are untouched.
        CacheStatistics kernel = core.InstructionCache!.Kernel;
        Assert.Equal((ulong)lines, kernel.Accesses);
        Assert.True(kernel.Misses > 0 && kernel.Misses <= (ulong)lines);
        Assert.Equal(kernel.Misses * Arch.Core.CycleCosts.Mppa256.CacheMissPenalty, core.Cycles - cycles);
        Assert.Equal(0UL, core.InstructionCache.User.Accesses);
        Assert.Equal(0UL, core.DataCache!.Kernel.Accesses);

        // Again: the same lines, all resident now (every path's text is smaller than the 8 KB I$).
        memory.Execute(path);
        Assert.Equal(2UL * (ulong)lines, core.InstructionCache.Kernel.Accesses);
        Assert.Equal(kernel.Misses, core.InstructionCache.Kernel.Misses);

        KernelPathCounts counts = memory.Of(path);
        Assert.Equal(2UL, counts.Executions);
        Assert.Equal(2UL * (ulong)KernelText.InstructionsOf(path), counts.Instructions);
        Assert.Equal(2UL * (ulong)KernelText.BranchesOf(path), counts.Branches);
        Assert.Equal(core.InstructionCache.Kernel, counts.Fetches);
    }

    [Fact]
    public void Without_the_cache_model_a_path_counts_its_instructions_and_branches_and_costs_nothing()
    {
        ICluster cluster = _processor.Cluster("CC2");
        ICore core = cluster.Cores[1];
        var memory = new KernelMemory(cluster.Memory) { Serving = core };
        ulong cycles = core.Cycles;

        memory.Execute(KernelPath.ThreadCreate);

        Assert.Equal(cycles, core.Cycles);
        KernelPathCounts counts = memory.Of(KernelPath.ThreadCreate);
        Assert.Equal((1UL, 33UL + 238 + 20 + 21, 2UL + 26 + 0 + 1), (counts.Executions, counts.Instructions, counts.Branches));
        Assert.Equal(0UL, counts.Fetches.Accesses);
    }

    [Fact]
    public void Every_path_has_a_distinct_name_and_at_least_one_routine()
    {
        var names = new HashSet<string>();
        for (int p = 0; p < KernelText.PathCount; p++)
        {
            var path = (KernelPath)p;
            Assert.True(names.Add(KernelText.Name(path)), KernelText.Name(path));
            Assert.False(KernelText.RoutinesOf(path).IsEmpty);
        }
    }
}
