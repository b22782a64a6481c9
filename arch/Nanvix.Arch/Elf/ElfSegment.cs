namespace Nanvix.Arch.Elf;

/// <summary>One PT_LOAD segment: <see cref="FileSize"/> bytes of the file at <see cref="FileOffset"/> go to
/// <see cref="VirtualAddress"/>; the rest up to <see cref="MemorySize"/> is zero (bss).</summary>
public readonly record struct ElfSegment(uint VirtualAddress, uint FileOffset, uint FileSize, uint MemorySize, SegmentPermissions Permissions)
{
    /// <summary>First address past the segment in memory.</summary>
    public ulong End => (ulong)VirtualAddress + MemorySize;

    public bool Contains(uint address) => address >= VirtualAddress && address < End;
}
