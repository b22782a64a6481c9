namespace Nanvix.Hal.Memory;

/// <summary>A named, contiguous range of a cluster's memory, in bytes from the start of the cluster's buffer.</summary>
public readonly record struct MemoryRegion(string Name, uint Base, uint Size, RegionAccess Access)
{
    /// <summary>First byte past the region.</summary>
    public ulong End => (ulong)Base + Size;

    /// <summary>True when the region may be read and written.</summary>
    public bool IsAccessible => Access != RegionAccess.None;

    /// <summary>True when [offset, offset+length) lies entirely inside the region.</summary>
    public bool Contains(ulong offset, ulong length) => offset >= Base && offset + length <= End;

    public override string ToString() => $"{Name} [0x{Base:x6}, 0x{End:x6}) {Size / 1024} KB";
}
