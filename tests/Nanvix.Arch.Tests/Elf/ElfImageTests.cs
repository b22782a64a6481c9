using System.Buffers.Binary;
using Nanvix.Arch.Elf;
using Nanvix.Tests.Shared;

namespace Nanvix.Arch.Tests.Elf;

public sealed class ElfImageTests
{
    private const ulong UserMemory = 512 * 1024;

    private static readonly byte[] Hello = RepositoryFiles.UserProgram("hello");

    private static ElfFormatException Refused(byte[] file) => Assert.Throws<ElfFormatException>(() => ElfImage.Parse(file, UserMemory));

    private static byte[] Patched(Action<byte[]> patch)
    {
        byte[] copy = (byte[])Hello.Clone();
        patch(copy);
        return copy;
    }

    private static uint ProgramHeaderOffset => BinaryPrimitives.ReadUInt32LittleEndian(Hello.AsSpan(28));

    private static int LoadHeader(byte[] file, int which)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(44));
        for (int i = 0, seen = 0; i < count; i++)
        {
            int at = (int)ProgramHeaderOffset + (i * 32);
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) == 1 && seen++ == which)
            {
                return at;
            }
        }

        throw new InvalidOperationException("no such PT_LOAD");
    }

    [Fact]
    public void A_clang_built_program_loads_at_lld_default_address()
    {
        ElfImage image = ElfImage.Parse(Hello, UserMemory);

        Assert.True(image.Segments[0].VirtualAddress >= 0x10000);
        Assert.Contains(image.Segments, s => s.Permissions.HasFlag(SegmentPermissions.Execute) && s.Contains(image.Entry));
        Assert.True(image.End > image.Entry);
    }

    [Fact]
    public void Truncated_header_is_refused()
    {
        Assert.Contains("truncated", Refused(Hello[..20]).Message);
    }

    [Fact]
    public void Truncated_segment_is_refused()
    {
        ElfImage image = ElfImage.Parse(Hello, UserMemory);
        ElfSegment last = image.Segments.Where(s => s.FileSize > 0).MaxBy(s => s.FileOffset + s.FileSize);

        Assert.Contains("truncated", Refused(Hello[..(int)(last.FileOffset + (last.FileSize / 2))]).Message);
    }

    [Fact]
    public void Bad_magic_is_refused()
    {
        Assert.Contains("magic", Refused(Patched(f => f[1] = (byte)'X')).Message);
    }

    [Fact]
    public void Elf64_is_refused()
    {
        Assert.Contains("ELF64", Refused(Patched(f => f[4] = 2)).Message);
    }

    [Fact]
    public void Wrong_machine_is_refused_with_its_name()
    {
        ElfFormatException error = Refused(Patched(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), 62)));

        Assert.Contains("x86-64", error.Message);
        Assert.Contains("not RISC-V", error.Message);
    }

    [Fact]
    public void Shared_object_is_refused()
    {
        Assert.Contains("ET_DYN", Refused(Patched(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 3))).Message);
    }

    [Fact]
    public void Compressed_instructions_are_refused()
    {
        Assert.Contains("RVC", Refused(Patched(f => f[36] |= 1)).Message);
    }

    [Fact]
    public void Overlapping_segments_are_refused()
    {
        byte[] file = Patched(f =>
        {
            uint firstAddress = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(LoadHeader(f, 0) + 8));
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(LoadHeader(f, 1) + 8), firstAddress + 4);
        });

        Assert.Contains("overlap", Refused(file).Message);
    }

    [Fact]
    public void Huge_memory_size_is_refused()
    {
        byte[] file = Patched(f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(LoadHeader(f, 1) + 20), 0xF000_0000));

        Assert.Contains("more than the", Refused(file).Message);
    }

    [Fact]
    public void Absurd_program_header_count_is_refused()
    {
        Assert.Contains("program headers", Refused(Patched(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(44), 60000))).Message);
    }

    [Fact]
    public void Program_header_table_past_the_end_is_refused()
    {
        Assert.Contains("truncated", Refused(Patched(f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(28), (uint)f.Length - 8))).Message);
    }

    [Fact]
    public void Entry_outside_text_is_refused()
    {
        Assert.Contains("entry point", Refused(Patched(f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(24), 0x4000_0000))).Message);
    }

    [Fact]
    public void File_size_larger_than_memory_size_is_refused()
    {
        byte[] file = Patched(f =>
        {
            int at = LoadHeader(f, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(at + 20), 4);
        });

        Assert.Contains("exceeds its memory size", Refused(file).Message);
    }

    [Fact]
    public void Random_corruptions_never_escape_as_anything_but_a_format_error()
    {
        var random = new Random(2022);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] file = (byte[])Hello.Clone();
            int flips = random.Next(1, 8);
            for (int i = 0; i < flips; i++)
            {
                file[random.Next(0, Math.Min(file.Length, 256))] = (byte)random.Next(256);
            }

            byte[] cut = random.Next(4) == 0 ? file[..random.Next(0, file.Length)] : file;
            try
            {
                ElfImage image = ElfImage.Parse(cut, UserMemory);
                foreach (ElfSegment segment in image.Segments)
                {
                    Assert.Equal((int)segment.FileSize, image.FileBytes(segment).Length);
                }
            }
            catch (ElfFormatException)
            {
            }
        }
    }
}
