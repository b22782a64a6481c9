using Nanvix.Arch.Cache;

namespace Nanvix.Arch.Tests.Cache;

public sealed class CacheModelTests
{
    // 4 lines of 16 B, 2 ways, 2 sets: line n maps to set n % 2.
    private static readonly CacheGeometry Tiny = new(64, 2, 16, WritePolicy.WriteThroughNoAllocate);

    [Fact]
    public void Mppa256_geometry_is_8_kb_2_way_64_byte_lines()
    {
        Assert.Equal(128, CacheGeometry.Mppa256.Lines);
        Assert.Equal(64, CacheGeometry.Mppa256.Sets);
        Assert.Equal(WritePolicy.WriteThroughNoAllocate, CacheGeometry.Mppa256.WritePolicy);
    }

    [Fact]
    public void Repeated_access_to_one_line_misses_once_compulsorily()
    {
        CacheModel cache = new(Tiny, 4096);
        Assert.True(cache.Access(0x100, false, AccessSource.User));
        Assert.False(cache.Access(0x104, false, AccessSource.User));
        Assert.False(cache.Access(0x10C, false, AccessSource.User));
        CacheStatistics s = cache.User;
        Assert.Equal((3ul, 2ul, 1ul, 1ul), (s.Accesses, s.Hits, s.Misses, s.CompulsoryMisses));
    }

    [Fact]
    public void Three_lines_in_one_set_give_a_conflict_miss()
    {
        CacheModel cache = new(Tiny, 4096);
        foreach (uint line in new uint[] { 0, 2, 4, 0 })
        {
            cache.Access(line * 16, false, AccessSource.User);
        }

        CacheStatistics s = cache.User;
        Assert.Equal(4ul, s.Accesses);
        Assert.Equal(0ul, s.Hits);
        Assert.Equal(3ul, s.CompulsoryMisses);
        Assert.Equal(0ul, s.CapacityMisses);
        Assert.Equal(1ul, s.ConflictMisses); // the shadow fully associative cache of 4 lines still held line 0
    }

    [Fact]
    public void Working_set_larger_than_the_cache_gives_capacity_misses()
    {
        CacheModel cache = new(Tiny, 4096);
        for (int round = 0; round < 2; round++)
        {
            for (uint line = 0; line < 6; line++)
            {
                cache.Access(line * 16, false, AccessSource.User);
            }
        }

        CacheStatistics s = cache.User;
        Assert.Equal(12ul, s.Accesses);
        Assert.Equal(6ul, s.CompulsoryMisses);
        Assert.Equal(6ul, s.CapacityMisses); // a cyclic sweep of 6 lines through 4 LRU lines misses in the shadow too
        Assert.Equal(0ul, s.ConflictMisses);
        Assert.Equal(0ul, s.Hits);
    }

    [Fact]
    public void Lru_keeps_the_most_recently_used_way()
    {
        CacheModel cache = new(Tiny, 4096);
        cache.Access(0 * 16, false, AccessSource.User); // set 0: [0]
        cache.Access(2 * 16, false, AccessSource.User); // set 0: [0, 2]
        cache.Access(0 * 16, false, AccessSource.User); // hit, 2 is now LRU
        cache.Access(4 * 16, false, AccessSource.User); // evicts 2
        Assert.False(cache.Access(0 * 16, false, AccessSource.User));
        Assert.Equal(2ul, cache.User.Hits);
        Assert.True(cache.Access(2 * 16, false, AccessSource.User));
    }

    [Fact]
    public void Write_through_store_miss_does_not_allocate_or_stall()
    {
        CacheModel cache = new(Tiny, 4096);
        Assert.False(cache.Access(0x40, true, AccessSource.User));
        Assert.True(cache.Access(0x40, false, AccessSource.User)); // still a miss: the store did not allocate
        Assert.False(cache.Access(0x40, true, AccessSource.User)); // store hit
        CacheStatistics s = cache.User;
        Assert.Equal((3ul, 1ul, 1ul, 1ul), (s.Accesses, s.Hits, s.Misses, s.WritesAround));
        Assert.Equal(1ul, s.CompulsoryMisses); // the store filled nothing: the read is the line's first fill
        Assert.Equal(0ul, s.Writebacks);
    }

    [Fact]
    public void Write_back_store_miss_allocates_and_dirty_victims_are_written_back()
    {
        CacheModel cache = new(Tiny with { WritePolicy = WritePolicy.WriteBackAllocate }, 4096);
        Assert.True(cache.Access(0 * 16, true, AccessSource.User));
        Assert.False(cache.Access(0 * 16, false, AccessSource.User));
        cache.Access(2 * 16, false, AccessSource.User);
        cache.Access(4 * 16, false, AccessSource.User); // evicts dirty line 0
        cache.Access(6 * 16, false, AccessSource.User); // evicts clean line 2
        Assert.Equal(1ul, cache.User.Writebacks);
    }

    [Fact]
    public void User_and_kernel_accesses_are_counted_apart()
    {
        CacheModel cache = new(Tiny, 4096);
        cache.Access(0x00, false, AccessSource.User);
        cache.Access(0x00, false, AccessSource.Kernel);
        cache.Access(0x10, false, AccessSource.Kernel);
        Assert.Equal((1ul, 0ul, 1ul), (cache.User.Accesses, cache.User.Hits, cache.User.CompulsoryMisses));
        Assert.Equal((2ul, 1ul, 1ul), (cache.Kernel.Accesses, cache.Kernel.Hits, cache.Kernel.CompulsoryMisses));
    }

    [Fact]
    public void Invalidate_empties_the_cache_but_keeps_first_touch_history()
    {
        CacheModel cache = new(Tiny, 4096);
        cache.Access(0x00, false, AccessSource.User);
        cache.Invalidate();
        Assert.True(cache.Access(0x00, false, AccessSource.User));
        Assert.Equal(1ul, cache.User.CompulsoryMisses);
        Assert.Equal(1ul, cache.User.CapacityMisses);
    }

    [Fact]
    public void Invalid_geometry_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new CacheModel(new CacheGeometry(96, 2, 16, WritePolicy.WriteBackAllocate), 4096));
        Assert.Throws<ArgumentException>(() => new CacheModel(new CacheGeometry(16, 2, 16, WritePolicy.WriteBackAllocate), 4096));
    }
}
