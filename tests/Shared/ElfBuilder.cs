using System.Buffers.Binary;

namespace Nanvix.Tests.Shared;

/// <summary>
/// Writes a static ELF32 RISC-V executable in memory (ET_EXEC, EM_RISCV, no flags): the file header, one PT_LOAD
/// program header per segment, then the segments' file bytes one after another. Enough for loader tests that need
/// placements a linker would not produce (System V gABI 4.1, ELF32 header and program header layouts).
/// </summary>
internal sealed class ElfBuilder
{
    /// <summary>p_flags bits.</summary>
    public const uint X = 1;
    public const uint W = 2;
    public const uint R = 4;

    private const int HeaderBytes = 52;
    private const int ProgramHeaderBytes = 32;

    private readonly List<(uint Address, byte[] Bytes, uint MemorySize, uint Flags)> _segments = [];

    /// <summary>The entry point; the first executable segment's address unless set.</summary>
    public uint? Entry { get; set; }

    /// <summary>Adds a segment of <paramref name="bytes"/> at <paramref name="address"/>, zero-filled up to <paramref name="memorySize"/> (at least the bytes).</summary>
    public ElfBuilder Segment(uint address, byte[] bytes, uint flags, uint memorySize = 0)
    {
        _segments.Add((address, bytes, Math.Max(memorySize, (uint)bytes.Length), flags));
        return this;
    }

    /// <summary>Adds a segment holding <paramref name="words"/> (instructions or data, little-endian).</summary>
    public ElfBuilder Words(uint address, IReadOnlyList<uint> words, uint flags, uint memorySize = 0)
    {
        var bytes = new byte[words.Count * 4];
        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), words[i]);
        }

        return Segment(address, bytes, flags, memorySize);
    }

    public byte[] Build()
    {
        int dataStart = HeaderBytes + (_segments.Count * ProgramHeaderBytes);
        int length = dataStart + _segments.Sum(s => s.Bytes.Length);
        var file = new byte[length];
        Span<byte> f = file;
        f[0] = 0x7F;
        f[1] = (byte)'E';
        f[2] = (byte)'L';
        f[3] = (byte)'F';
        f[4] = 1; // ELFCLASS32
        f[5] = 1; // ELFDATA2LSB
        f[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], 243); // EM_RISCV
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        uint entry = Entry ?? _segments.FirstOrDefault(s => (s.Flags & X) != 0).Address;
        BinaryPrimitives.WriteUInt32LittleEndian(f[24..], entry);
        BinaryPrimitives.WriteUInt32LittleEndian(f[28..], HeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(f[40..], HeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(f[42..], ProgramHeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(f[44..], (ushort)_segments.Count);

        int offset = dataStart;
        for (int i = 0; i < _segments.Count; i++)
        {
            (uint address, byte[] bytes, uint memorySize, uint flags) = _segments[i];
            Span<byte> header = f[(HeaderBytes + (i * ProgramHeaderBytes))..];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 1); // PT_LOAD
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)offset);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], address);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], address);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)bytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], memorySize);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(header[28..], 0x1000);
            bytes.CopyTo(f[offset..]);
            offset += bytes.Length;
        }

        return file;
    }
}
