using CsCheck;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// <see cref="PageAllocator"/> alone over a compute cluster's memory: lowest page first, zeroed, its state nothing but
/// the bitmap in kernel data (one bit a page, page i at bit i % 8 of byte i / 8), and a bad free a kernel bug.
/// </summary>
public sealed class PageAllocatorTests
{
    private const uint Page = KernelConstants.PageSize;

    [Fact]
    public void The_kernel_allocators_cover_the_user_and_kernel_pool_regions_page_for_page()
    {
        using var rig = new KernelDataRig();
        MemoryRegion user = rig.Memory.Map[MemoryRegionNames.User];
        MemoryRegion pool = rig.Memory.Map[MemoryRegionNames.KernelPool];

        Assert.Equal((int)(user.Size / Page), rig.Frames.PageCount);
        Assert.Equal((int)(pool.Size / Page), rig.KernelPages.PageCount);
        Assert.Equal(rig.Frames.PageCount, rig.Frames.FreeCount);
        Assert.Equal(rig.KernelPages.PageCount, rig.KernelPages.FreeCount);

        // The two bitmaps are the first bytes of kernel data, one after the other, each on its own line.
        Assert.Equal(rig.KernelData.Base, rig.FramesBitmap);
        Assert.True(rig.FramesBitmap + (ulong)PageAllocator.BitmapBytes(rig.Frames.PageCount) <= rig.KernelPagesBitmap);
        Assert.Equal(0UL, rig.KernelPagesBitmap % KernelDataRig.CacheLine);
    }

    [Fact]
    public void A_new_allocator_clears_whatever_its_bitmap_held()
    {
        using var rig = new KernelDataRig();
        MemoryRegion user = rig.Memory.Map[MemoryRegionNames.User];
        int bytes = PageAllocator.BitmapBytes((int)(user.Size / Page));
        rig.Fill(rig.FramesBitmap, bytes, 0xFF);

        var frames = new PageAllocator(rig.Kernel, user, rig.FramesBitmap);

        Assert.Equal(frames.PageCount, frames.FreeCount);
        Assert.All(rig.Memory.Bytes(rig.FramesBitmap, bytes).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Pages_come_lowest_address_first_until_the_region_is_full()
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;

        for (int i = 0; i < frames.PageCount; i++)
        {
            Assert.True(frames.TryAllocate(out uint address));
            Assert.Equal(frames.Region.Base + ((uint)i * Page), address);
            Assert.Equal(frames.PageCount - i - 1, frames.FreeCount);
        }

        Assert.False(frames.TryAllocate(out uint none));
        Assert.Equal(0u, none);
        Assert.Equal(0, frames.FreeCount);
        Assert.All(rig.Memory.Bytes(rig.FramesBitmap, PageAllocator.BitmapBytes(frames.PageCount)).ToArray(), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void A_full_frame_allocator_leaves_the_kernel_pool_and_its_bitmap_alone()
    {
        using var rig = new KernelDataRig();
        Assert.True(rig.KernelPages.TryAllocate(out uint kernelPage));
        byte[] before = rig.Memory.Bytes(rig.KernelPagesBitmap, PageAllocator.BitmapBytes(rig.KernelPages.PageCount)).ToArray();

        while (rig.Frames.TryAllocate(out _))
        {
        }

        Assert.Equal(before, rig.Memory.Bytes(rig.KernelPagesBitmap, before.Length).ToArray());
        Assert.Equal(rig.KernelPages.PageCount - 1, rig.KernelPages.FreeCount);
        Assert.True(rig.KernelPages.TryAllocate(out uint next));
        Assert.Equal(kernelPage + Page, next);
    }

    [Fact]
    public void Page_i_is_bit_i_mod_8_of_byte_i_div_8_of_the_bitmap()
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;
        for (int i = 0; i < 10; i++)
        {
            Assert.True(frames.TryAllocate(out _));
        }

        frames.Free(frames.Region.Base + (3 * Page));
        frames.Free(frames.Region.Base + (9 * Page));

        Assert.Equal([0b1111_0111, 0b0000_0001, 0], rig.Memory.Bytes(rig.FramesBitmap, 3).ToArray());
    }

    [Fact]
    public void The_bitmap_in_cluster_memory_is_the_allocators_whole_state()
    {
        // What migration and snapshots rely on: a page marked taken in memory is taken, whoever marked it.
        using var rig = new KernelDataRig();
        rig.Memory.Write<byte>(rig.FramesBitmap, 0b0000_0111);
        rig.Memory.Write<byte>(rig.FramesBitmap + 1, 0b1000_0000);

        Assert.Equal(rig.Frames.PageCount - 4, rig.Frames.FreeCount);
        Assert.True(rig.Frames.TryAllocate(out uint address));
        Assert.Equal(rig.Frames.Region.Base + (3 * Page), address);
        rig.Frames.Free(rig.Frames.Region.Base + (15 * Page));
        Assert.Equal(0, rig.Memory.Read<byte>(rig.FramesBitmap + 1));
    }

    [Fact]
    public void Freed_pages_are_reused_lowest_first_before_any_page_never_taken()
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;
        uint[] pages = new uint[6];
        for (int i = 0; i < pages.Length; i++)
        {
            Assert.True(frames.TryAllocate(out pages[i]));
        }

        frames.Free(pages[4]);
        frames.Free(pages[1]);

        Assert.True(frames.TryAllocate(out uint first));
        Assert.True(frames.TryAllocate(out uint second));
        Assert.True(frames.TryAllocate(out uint third));
        Assert.Equal([pages[1], pages[4], pages[5] + Page], new[] { first, second, third });
    }

    [Fact]
    public void A_page_comes_zeroed_unless_the_caller_overwrites_it_all()
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;
        Assert.True(frames.TryAllocate(out uint page));
        rig.Fill(page, (int)Page, 0xAB);
        frames.Free(page);

        Assert.True(frames.TryAllocate(out uint zeroed));
        Assert.Equal(page, zeroed);
        Assert.All(rig.Memory.Bytes(zeroed, (int)Page).ToArray(), b => Assert.Equal(0, b));

        rig.Fill(page, (int)Page, 0xCD);
        frames.Free(page);
        Assert.True(frames.TryAllocate(out uint kept, zero: false));
        Assert.Equal(page, kept);
        Assert.All(rig.Memory.Bytes(kept, (int)Page).ToArray(), b => Assert.Equal(0xCD, b));
    }

    [Fact]
    public void Freeing_a_page_twice_is_a_kernel_bug_that_changes_nothing()
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;
        Assert.True(frames.TryAllocate(out uint a));
        Assert.True(frames.TryAllocate(out _));
        frames.Free(a);
        byte[] bitmap = rig.Memory.Bytes(rig.FramesBitmap, 16).ToArray();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => frames.Free(a));

        Assert.Contains("freed twice", error.Message);
        Assert.Contains("CC0", error.Message);
        Assert.Equal(bitmap, rig.Memory.Bytes(rig.FramesBitmap, 16).ToArray());
        Assert.Equal(frames.PageCount - 1, frames.FreeCount);
    }

    public static TheoryData<string> NotItsPages =>
    [
        "the page below the region",
        "an address inside a page",
        "the last byte of the region",
        "the region's end",
        "a kernel-pool page",
    ];

    [Theory]
    [MemberData(nameof(NotItsPages))]
    public void Freeing_what_is_not_a_page_of_its_region_is_a_kernel_bug(string what)
    {
        using var rig = new KernelDataRig();
        PageAllocator frames = rig.Frames;
        MemoryRegion user = frames.Region;
        while (frames.TryAllocate(out _))
        {
        }

        uint address = what switch
        {
            "the page below the region" => user.Base - Page,
            "an address inside a page" => user.Base + 0x10,
            "the last byte of the region" => (uint)user.End - 1,
            "the region's end" => (uint)user.End,
            _ => rig.KernelPages.Region.Base,
        };

        Assert.False(frames.Owns(address));
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => frames.Free(address));
        Assert.Contains($"not a page of region '{MemoryRegionNames.User}'", error.Message);
        Assert.Equal(0, frames.FreeCount);
    }

    [Fact]
    public void A_region_of_pages_not_a_multiple_of_8_uses_only_its_own_bits_and_bytes()
    {
        // Eleven pages: two bitmap bytes, the second with three bits; the byte after the bitmap belongs to someone else.
        using var rig = new KernelDataRig();
        MemoryRegion user = rig.Memory.Map[MemoryRegionNames.User];
        var eleven = new MemoryRegion("eleven", user.Base, 11 * Page, user.Access);
        ulong bitmap = rig.StateStart;
        rig.Memory.Write<byte>(bitmap + 2, 0x5A);
        var pages = new PageAllocator(rig.Kernel, eleven, bitmap);

        Assert.Equal(2, PageAllocator.BitmapBytes(11));
        for (int i = 0; i < 11; i++)
        {
            Assert.True(pages.TryAllocate(out _));
        }

        Assert.False(pages.TryAllocate(out _));
        Assert.Equal([0xFF, 0b0000_0111, 0x5A], rig.Memory.Bytes(bitmap, 3).ToArray());
        Assert.False(pages.Owns(user.Base + (11 * Page)));
    }

    [Fact]
    public void Any_sequence_of_allocations_and_frees_hands_out_the_lowest_free_page()
    {
        // The model: a set of taken page numbers. An allocation takes its lowest absent number (none when full); a free
        // of a taken page gives it back. True of every prefix, so a failure shrinks to a short sequence.
        using var rig = new KernelDataRig();
        PageAllocator pool = rig.KernelPages;
        Gen<(bool Allocate, int Page)[]> operations = Gen.Select(Gen.Int[0, 99].Select(n => n < 60), Gen.Int[0, pool.PageCount - 1]).Array[1, 200];

        operations.Sample(
            ops =>
            {
                var allocator = new PageAllocator(rig.Kernel, pool.Region, rig.KernelPagesBitmap);
                var taken = new SortedSet<int>();
                foreach ((bool allocate, int page) in ops)
                {
                    if (allocate)
                    {
                        int expected = Enumerable.Range(0, allocator.PageCount).FirstOrDefault(p => !taken.Contains(p), -1);
                        Assert.Equal(expected >= 0, allocator.TryAllocate(out uint address));
                        if (expected >= 0)
                        {
                            Assert.Equal(pool.Region.Base + ((uint)expected * Page), address);
                            taken.Add(expected);
                        }
                    }
                    else if (taken.Remove(page))
                    {
                        allocator.Free(pool.Region.Base + ((uint)page * Page));
                    }
                    else
                    {
                        Assert.Throws<InvalidOperationException>(() => allocator.Free(pool.Region.Base + ((uint)page * Page)));
                    }

                    Assert.Equal(allocator.PageCount - taken.Count, allocator.FreeCount);
                }
            },
            seed: "aPuIGtR2j2l1",
            iter: 300,
            threads: 1);
    }
}
