using System.Buffers.Binary;
using Nanvix.Arch.Mmu;

namespace Nanvix.Arch.Elf;

/// <summary>
/// A validated static ELF32 RISC-V executable: its entry point and loadable segments, over the file's bytes.
/// <see cref="Parse"/> checks everything a loader relies on, so that loading cannot fail half-way: magic, class,
/// byte order, type, machine, ABI flags, the program header table, each segment's bounds in the file and in
/// memory, overlaps, and that the entry point lies in an executable segment. Where in the address space the
/// segments may go is the kernel's business (its loader checks them against the stacks and reserved ranges).
/// Layout: System V ABI, ELF32 (gABI 4.1) and the RISC-V ELF psABI.
/// </summary>
public sealed class ElfImage
{
    /// <summary>Bytes of an ELF32 file header.</summary>
    public const int HeaderSize = 52;

    /// <summary>Bytes of one ELF32 program header.</summary>
    public const int ProgramHeaderSize = 32;

    /// <summary>More program headers than any static program of ours needs; a larger count means a corrupt file.</summary>
    public const int MaxProgramHeaders = 64;

    private const ushort EtExec = 2;
    private const ushort EtDyn = 3;
    private const ushort EmRiscV = 243;
    private const uint PtLoad = 1;
    private const uint PtDynamic = 2;
    private const uint PtInterp = 3;
    private const uint EfRiscVRvc = 0x1;
    private const uint EfRiscVFloatAbi = 0x6;

    private readonly byte[] _file;
    private readonly ElfSegment[] _segments;

    private ElfImage(byte[] file, uint entry, ElfSegment[] segments)
    {
        _file = file;
        Entry = entry;
        _segments = segments;
    }

    /// <summary>Address of the first instruction.</summary>
    public uint Entry { get; }

    /// <summary>Loadable segments in address order.</summary>
    public IReadOnlyList<ElfSegment> Segments => _segments;

    /// <summary>Bytes of memory the segments span, from the lowest address to the end of the highest.</summary>
    public ulong MemorySpan => _segments[^1].End - _segments[0].VirtualAddress;

    /// <summary>Bytes of the 4 KB pages the segments occupy (a page two segments share counted once): the frames loading takes.</summary>
    public ulong PageBytes => PagesOccupied(_segments) * Sv32.PageSize;

    /// <summary>First address past every segment: where a program's heap (brk) can start.</summary>
    public ulong End => _segments[^1].End;

    /// <summary>The file bytes of <paramref name="segment"/>.</summary>
    public ReadOnlySpan<byte> FileBytes(ElfSegment segment) => _file.AsSpan((int)segment.FileOffset, (int)segment.FileSize);

    /// <summary>Validates <paramref name="file"/> and returns the executable it holds.</summary>
    /// <param name="file">The whole file.</param>
    /// <param name="maxMemoryBytes">Largest memory span the segments may cover (the user memory of a cluster).</param>
    /// <exception cref="ElfFormatException">The file is not a static RV32 executable that fits.</exception>
    public static ElfImage Parse(ReadOnlySpan<byte> file, ulong maxMemoryBytes)
    {
        if (file.Length < 4 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw new ElfFormatException("not an ELF file (bad magic number)");
        }

        if (file.Length < HeaderSize)
        {
            throw new ElfFormatException($"truncated: {file.Length} bytes, an ELF32 header alone needs {HeaderSize}");
        }

        if (file[4] != 1)
        {
            throw new ElfFormatException(file[4] == 2 ? "ELF64 file: only 32-bit (ELFCLASS32) programs run on RV32" : $"unknown ELF class {file[4]}");
        }

        if (file[5] != 1)
        {
            throw new ElfFormatException("big-endian ELF file: RISC-V programs are little-endian");
        }

        if (file[6] != 1)
        {
            throw new ElfFormatException($"unknown ELF version {file[6]}");
        }

        ushort type = U16(file, 16);
        ushort machine = U16(file, 18);
        uint entry = U32(file, 24);
        uint phoff = U32(file, 28);
        uint flags = U32(file, 36);
        ushort phentsize = U16(file, 42);
        ushort phnum = U16(file, 44);

        if (machine != EmRiscV)
        {
            throw new ElfFormatException($"machine {machine} ({MachineName(machine)}) is not RISC-V ({EmRiscV})");
        }

        if (type == EtDyn)
        {
            throw new ElfFormatException("position-independent or shared object (ET_DYN): only static executables (ET_EXEC) run");
        }

        if (type != EtExec)
        {
            throw new ElfFormatException($"ELF type {type} is not an executable (ET_EXEC)");
        }

        if ((flags & EfRiscVRvc) != 0)
        {
            throw new ElfFormatException("built with compressed instructions (RVC); the cores run rv32ima: build with -march=rv32ima");
        }

        if ((flags & EfRiscVFloatAbi) != 0)
        {
            throw new ElfFormatException("built for a floating-point ABI; the cores run ilp32: build with -mabi=ilp32");
        }

        if (phnum == 0)
        {
            throw new ElfFormatException("no program headers: nothing to load");
        }

        if (phnum > MaxProgramHeaders)
        {
            throw new ElfFormatException($"{phnum} program headers, more than the {MaxProgramHeaders} a sane executable has");
        }

        if (phentsize != ProgramHeaderSize)
        {
            throw new ElfFormatException($"program header size {phentsize}, ELF32 says {ProgramHeaderSize}");
        }

        if ((ulong)phoff + ((ulong)phnum * ProgramHeaderSize) > (ulong)file.Length)
        {
            throw new ElfFormatException($"truncated: the program header table [{phoff}, {phoff + ((ulong)phnum * ProgramHeaderSize)}) lies past the end of the {file.Length}-byte file");
        }

        var segments = new List<ElfSegment>(phnum);
        for (int i = 0; i < phnum; i++)
        {
            int at = checked((int)phoff + (i * ProgramHeaderSize));
            uint kind = U32(file, at);
            if (kind == PtInterp || kind == PtDynamic)
            {
                throw new ElfFormatException("dynamically linked: only static executables run (link with -static)");
            }

            if (kind != PtLoad)
            {
                continue;
            }

            var segment = new ElfSegment(
                VirtualAddress: U32(file, at + 8),
                FileOffset: U32(file, at + 4),
                FileSize: U32(file, at + 16),
                MemorySize: U32(file, at + 20),
                Permissions: (SegmentPermissions)(U32(file, at + 24) & 7))
            {
                HeaderIndex = i,
            };
            Check(segment, i, file.Length, maxMemoryBytes);
            if (segment.MemorySize > 0)
            {
                segments.Add(segment);
            }
        }

        if (segments.Count == 0)
        {
            throw new ElfFormatException("no loadable (PT_LOAD) segment");
        }

        segments.Sort((a, b) => a.VirtualAddress.CompareTo(b.VirtualAddress));
        for (int i = 1; i < segments.Count; i++)
        {
            if (segments[i].VirtualAddress < segments[i - 1].End)
            {
                throw new ElfFormatException($"segments overlap: {segments[i - 1].Describe()} and {segments[i].Describe()}");
            }
        }

        // The memory a program takes is the pages its segments occupy, not the distance from the lowest to the highest
        // (which, for a program linked near 4 GB whose addresses wrapped to 0, is the whole address space).
        ulong pages = PagesOccupied(segments);
        if (pages * Sv32.PageSize > maxMemoryBytes)
        {
            throw new ElfFormatException($"the segments occupy {pages} pages ({pages * Sv32.PageSize} bytes) of memory, more than the {maxMemoryBytes} bytes available");
        }

        ElfSegment? text = null;
        foreach (ElfSegment segment in segments)
        {
            if (segment.Contains(entry))
            {
                text = segment;
            }
        }

        if (text is null || !text.Value.Permissions.HasFlag(SegmentPermissions.Execute))
        {
            throw new ElfFormatException($"entry point 0x{entry:x} is not inside an executable segment");
        }

        if (entry % 4 != 0)
        {
            throw new ElfFormatException($"entry point 0x{entry:x} is not 4-byte aligned");
        }

        return new ElfImage(file.ToArray(), entry, [.. segments]);
    }

    private static void Check(ElfSegment s, int index, int fileLength, ulong maxMemoryBytes)
    {
        if (s.FileSize > s.MemorySize)
        {
            throw new ElfFormatException($"segment {index}: file size {s.FileSize} exceeds its memory size {s.MemorySize}");
        }

        if ((ulong)s.FileOffset + s.FileSize > (ulong)fileLength)
        {
            throw new ElfFormatException($"truncated: segment {index} needs file bytes [{s.FileOffset}, {(ulong)s.FileOffset + s.FileSize}) of a {fileLength}-byte file");
        }

        if (s.MemorySize > maxMemoryBytes)
        {
            throw new ElfFormatException($"segment {index}: {s.MemorySize} bytes of memory, more than the {maxMemoryBytes} available");
        }

        if (s.End > uint.MaxValue + 1UL)
        {
            throw new ElfFormatException($"{s.Describe()}, {s.MemorySize} bytes, runs past the end of the 4 GB address space");
        }
    }

    /// <summary>Pages the sorted, non-overlapping <paramref name="segments"/> touch; neighbours may share a page.</summary>
    private static ulong PagesOccupied(IReadOnlyList<ElfSegment> segments)
    {
        ulong pages = 0;
        ulong previousLastPage = ulong.MaxValue;
        foreach (ElfSegment segment in segments)
        {
            ulong first = segment.VirtualAddress / Sv32.PageSize;
            ulong last = (segment.End - 1) / Sv32.PageSize;
            pages += last - first + 1 - (first == previousLastPage ? 1UL : 0UL);
            previousLastPage = last;
        }

        return pages;
    }

    private static ushort U16(ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt16LittleEndian(file[at..]);

    private static uint U32(ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);

    private static string MachineName(ushort machine) => machine switch
    {
        3 => "x86",
        40 => "ARM",
        62 => "x86-64",
        183 => "AArch64",
        _ => "unknown",
    };
}
