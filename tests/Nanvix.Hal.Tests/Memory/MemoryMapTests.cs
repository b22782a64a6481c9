using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Tests.Memory;

public sealed class MemoryMapTests
{
    private const uint KB = 1024;

    [Fact]
    public void Compute_cluster_map_covers_exactly_2_MB_without_gaps_or_overlaps()
    {
        MemoryMap map = Mppa256.ComputeMemoryMap();

        Assert.Equal(2u * 1024 * KB, map.Size);
        ulong next = 0;
        foreach (MemoryRegion region in map.Regions)
        {
            Assert.Equal(next, region.Base);
            next = region.End;
        }

        Assert.Equal(map.Size, next);
    }

    [Fact]
    public void Compute_cluster_map_has_the_regions_of_the_design()
    {
        MemoryMap map = Mppa256.ComputeMemoryMap();

        Assert.Equal(new MemoryRegion(MemoryRegionNames.HypervisorLow, 0, 0x8000, RegionAccess.None), map[MemoryRegionNames.HypervisorLow]);
        Assert.Equal(0x8000u, map[MemoryRegionNames.KernelImage].Base);
        Assert.Equal(160 * KB, map[MemoryRegionNames.KernelPool].Size);
        Assert.Equal(512 * KB, map[MemoryRegionNames.User].Size);
        Assert.Equal(new MemoryRegion(MemoryRegionNames.HypervisorHigh, 0x1F8000, 0x8000, RegionAccess.None), map[MemoryRegionNames.HypervisorHigh]);
        Assert.True(map[MemoryRegionNames.User].Access.HasFlag(RegionAccess.User));
        Assert.False(map[MemoryRegionNames.KernelData].Access.HasFlag(RegionAccess.User));
    }

    [Fact]
    public void IO_cluster_map_covers_its_4_MB()
    {
        MemoryMap map = Mppa256.IOMemoryMap();

        Assert.Equal(4u * 1024 * KB, map.Size);
        Assert.Equal(map.Size, map.Regions[^1].End);
    }

    [Fact]
    public void Overlapping_regions_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(
            0x2000,
            [new MemoryRegion("a", 0, 0x1800, RegionAccess.Kernel), new MemoryRegion("b", 0x1000, 0x1000, RegionAccess.Kernel)]));

        Assert.Contains("overlaps", error.Message);
    }

    [Fact]
    public void A_gap_between_regions_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(
            0x3000,
            [new MemoryRegion("a", 0, 0x1000, RegionAccess.Kernel), new MemoryRegion("b", 0x2000, 0x1000, RegionAccess.Kernel)]));

        Assert.Contains("gap", error.Message);
    }

    [Fact]
    public void Regions_that_do_not_reach_the_end_of_memory_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MemoryMap(0x3000, [new MemoryRegion("a", 0, 0x1000, RegionAccess.Kernel)]));

        Assert.Contains("cover", error.Message);
    }

    [Fact]
    public void Unknown_region_name_lists_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Mppa256.ComputeMemoryMap()["stack"]);

        Assert.Contains("kernel-pool", error.Message);
    }

    [Fact]
    public void Small_manycore_maps_cover_their_memory_and_have_the_same_region_names()
    {
        ProcessorSpec small = SmallManycore.Spec(new SmallManycoreOptions { UserKB = 128 });

        foreach (ClusterSpec cluster in small.Clusters)
        {
            Assert.Equal(cluster.MemoryMap.Size, cluster.MemoryMap.Regions[^1].End);
            Assert.Equal(128 * KB, cluster.MemoryMap[MemoryRegionNames.User].Size);
        }
    }
}
