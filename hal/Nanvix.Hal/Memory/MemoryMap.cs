namespace Nanvix.Hal.Memory;

/// <summary>
/// The memory map of a cluster: named regions that cover the cluster's memory exactly, in address order, with no
/// gap and no overlap. A map that breaks this is refused when built.
/// </summary>
public sealed class MemoryMap
{
    private readonly MemoryRegion[] _regions;

    public MemoryMap(uint size, IEnumerable<MemoryRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        _regions = regions.OrderBy(r => r.Base).ToArray();
        Size = size;

        ulong expected = 0;
        foreach (MemoryRegion region in _regions)
        {
            if (region.Size == 0)
            {
                throw new ArgumentException($"memory map: region '{region.Name}' is empty");
            }

            if (region.Base < expected)
            {
                throw new ArgumentException($"memory map: region '{region.Name}' at 0x{region.Base:x} overlaps the region before it (which ends at 0x{expected:x})");
            }

            if (region.Base > expected)
            {
                throw new ArgumentException($"memory map: gap [0x{expected:x}, 0x{region.Base:x}) before region '{region.Name}'; name every byte");
            }

            expected = region.End;
        }

        if (expected != size)
        {
            throw new ArgumentException($"memory map: regions cover 0x{expected:x} bytes but the memory has 0x{size:x}");
        }

        if (_regions.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != _regions.Length)
        {
            throw new ArgumentException("memory map: two regions have the same name");
        }
    }

    /// <summary>Total bytes covered by the map, which is the size of the cluster's memory.</summary>
    public uint Size { get; }

    /// <summary>The regions in address order.</summary>
    public IReadOnlyList<MemoryRegion> Regions => _regions;

    /// <summary>The region with the given name.</summary>
    /// <exception cref="KeyNotFoundException">No region has that name.</exception>
    public MemoryRegion this[string name]
    {
        get
        {
            foreach (MemoryRegion region in _regions)
            {
                if (string.Equals(region.Name, name, StringComparison.Ordinal))
                {
                    return region;
                }
            }

            throw new KeyNotFoundException($"memory map has no region '{name}' (regions: {string.Join(", ", _regions.Select(r => r.Name))})");
        }
    }

    /// <summary>Finds the region that holds <paramref name="offset"/>; false when the offset is past the end.</summary>
    public bool TryFind(ulong offset, out MemoryRegion region)
    {
        foreach (MemoryRegion candidate in _regions)
        {
            if (offset >= candidate.Base && offset < candidate.End)
            {
                region = candidate;
                return true;
            }
        }

        region = default;
        return false;
    }
}
