using Nanvix.Arch.Elf;
using Nanvix.Tests.Shared;

namespace Nanvix.Arch.Tests.Elf;

/// <summary>The size checks of the ELF parser in 64-bit arithmetic: what a program occupies is its pages.</summary>
public sealed class ElfMemoryCheckTests
{
    private const ulong UserMemory = 512 * 1024;

    private static readonly uint[] Code = [0x00000013, 0x00000073];

    [Fact]
    public void A_segment_running_past_4_GB_is_refused_with_its_real_range()
    {
        byte[] file = new ElfBuilder().Words(0xFFFF_F000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: 0x2000).Build();

        ElfFormatException error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(file, UserMemory));

        Assert.Equal("segment 0 (R-X) [0xfffff000, 0x100001000), 8192 bytes, runs past the end of the 4 GB address space", error.Message);
    }

    [Fact]
    public void A_segment_ending_exactly_at_4_GB_is_measured_without_wrapping()
    {
        ElfImage image = ElfImage.Parse(new ElfBuilder().Words(0xFFFF_F000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: 0x1000).Build(), UserMemory);

        Assert.Equal(1UL << 32, image.End);
        Assert.Equal(4096UL, image.PageBytes);
        Assert.Equal(4096UL, image.MemorySpan);
    }

    /// <summary>The layout ld.lld writes for -Wl,--image-base=0xFFFFD000 --noinhibit-exec: bss wrapped past 4 GB to 0x53c.</summary>
    private static byte[] WrappedLayout() => new ElfBuilder { Entry = 0xFFFF_E2F0 }
        .Segment(0xFFFF_D000, new byte[0x2EF], ElfBuilder.R)
        .Words(0xFFFF_E2F0, Code, ElfBuilder.R | ElfBuilder.X, memorySize: 0x124C)
        .Segment(0x0000_053C, [], ElfBuilder.R | ElfBuilder.W, memorySize: 0x110)
        .Build();

    [Fact]
    public void A_program_whose_addresses_wrapped_past_4_GB_is_measured_by_its_pages_not_by_its_span()
    {
        ElfImage image = ElfImage.Parse(WrappedLayout(), UserMemory);

        // 1 page at 0xffffd000, 2 pages from 0xffffe2f0 to 0xfffff53c, 1 page at 0x53c; the span is nearly 4 GB.
        Assert.Equal(4UL * 4096, image.PageBytes);
        Assert.Equal(0xFFFF_F53CUL - 0x53C, image.MemorySpan);
    }

    [Fact]
    public void Too_many_pages_are_refused_with_the_pages_counted()
    {
        ElfFormatException error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(WrappedLayout(), 3 * 4096));

        Assert.Equal("the segments occupy 4 pages (16384 bytes) of memory, more than the 12288 bytes available", error.Message);
    }

    [Fact]
    public void A_page_shared_by_two_segments_counts_once()
    {
        ElfImage image = ElfImage.Parse(new ElfBuilder()
            .Words(0x10000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: 0x800)
            .Segment(0x10800, new byte[16], ElfBuilder.R | ElfBuilder.W, memorySize: 0x1000)
            .Build(), UserMemory);

        Assert.Equal(2UL * 4096, image.PageBytes);
    }

    [Fact]
    public void The_memory_check_lets_exactly_the_available_pages_through_and_not_one_byte_more()
    {
        byte[] fits = new ElfBuilder().Words(0x10000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: (uint)UserMemory).Build();
        byte[] oneByteMore = new ElfBuilder().Words(0x10000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: (uint)UserMemory + 1).Build();
        byte[] unaligned = new ElfBuilder().Words(0x10004, Code, ElfBuilder.R | ElfBuilder.X, memorySize: (uint)UserMemory).Build();

        Assert.Equal(UserMemory, ElfImage.Parse(fits, UserMemory).PageBytes);
        Assert.Contains("more than the 524288 available", Assert.Throws<ElfFormatException>(() => ElfImage.Parse(oneByteMore, UserMemory)).Message);
        Assert.Equal(
            "the segments occupy 129 pages (528384 bytes) of memory, more than the 524288 bytes available",
            Assert.Throws<ElfFormatException>(() => ElfImage.Parse(unaligned, UserMemory)).Message);
    }

    [Fact]
    public void Segments_keep_their_program_header_index_and_overlaps_name_both()
    {
        byte[] file = new ElfBuilder()
            .Segment(0x20000, new byte[8], ElfBuilder.R | ElfBuilder.W)
            .Words(0x10000, Code, ElfBuilder.R | ElfBuilder.X, memorySize: 0x10010)
            .Build();

        ElfFormatException error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(file, UserMemory));

        Assert.Equal("segments overlap: segment 1 (R-X) [0x10000, 0x20010) and segment 0 (RW-) [0x20000, 0x20008)", error.Message);
    }

    [Fact]
    public void Parsed_segments_are_in_address_order_with_their_header_index()
    {
        ElfImage image = ElfImage.Parse(new ElfBuilder()
            .Segment(0x20000, new byte[8], ElfBuilder.R | ElfBuilder.W)
            .Words(0x10000, Code, ElfBuilder.R | ElfBuilder.X)
            .Build(), UserMemory);

        Assert.Equal([1, 0], image.Segments.Select(s => s.HeaderIndex));
        Assert.Equal([0x10000u, 0x20000u], image.Segments.Select(s => s.VirtualAddress));
    }
}
