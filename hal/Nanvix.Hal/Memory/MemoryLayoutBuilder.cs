namespace Nanvix.Hal.Memory;

/// <summary>Lays regions out one after another from address 0, so that backends state sizes and never compute bases by hand.</summary>
public sealed class MemoryLayoutBuilder
{
    private readonly List<MemoryRegion> _regions = [];
    private readonly uint _size;
    private uint _next;

    public MemoryLayoutBuilder(uint size) => _size = size;

    /// <summary>Adds a region of <paramref name="size"/> bytes after the last one.</summary>
    public MemoryLayoutBuilder Add(string name, uint size, RegionAccess access)
    {
        _regions.Add(new MemoryRegion(name, _next, size, access));
        _next += size;
        return this;
    }

    /// <summary>Adds a region from the end of the last one up to <paramref name="end"/>.</summary>
    public MemoryLayoutBuilder AddUpTo(string name, uint end, RegionAccess access)
    {
        if (end < _next)
        {
            throw new ArgumentException($"memory layout: region '{name}' would end at 0x{end:x}, before the previous region ends at 0x{_next:x}");
        }

        return Add(name, end - _next, access);
    }

    /// <summary>The finished, validated map.</summary>
    public MemoryMap Build() => new(_size, _regions);
}
