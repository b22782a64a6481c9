namespace Nanvix.Arch.Elf;

/// <summary>One PT_LOAD segment: <see cref="FileSize"/> bytes of the file at <see cref="FileOffset"/> go to
/// <see cref="VirtualAddress"/>; the rest up to <see cref="MemorySize"/> is zero (bss).</summary>
public readonly record struct ElfSegment(uint VirtualAddress, uint FileOffset, uint FileSize, uint MemorySize, SegmentPermissions Permissions)
{
    /// <summary>Index of the segment's program header, as <c>readelf -l</c> counts them: the number error messages give.</summary>
    public int HeaderIndex { get; init; }

    /// <summary>First address past the segment in memory (up to 2^32, so never wraps).</summary>
    public ulong End => (ulong)VirtualAddress + MemorySize;

    public bool Contains(uint address) => address >= VirtualAddress && address < End;

    /// <summary>The segment as readelf shows it: its header index, permissions and memory range.</summary>
    public string Describe() => $"segment {HeaderIndex} ({Flag(SegmentPermissions.Read, 'R')}{Flag(SegmentPermissions.Write, 'W')}{Flag(SegmentPermissions.Execute, 'X')}) [0x{VirtualAddress:x}, 0x{End:x})";

    private char Flag(SegmentPermissions flag, char letter) => Permissions.HasFlag(flag) ? letter : '-';
}
