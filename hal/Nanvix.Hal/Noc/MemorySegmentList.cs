namespace Nanvix.Hal.Noc;

/// <summary>
/// The scatter/gather list an endpoint holds for its one outstanding operation (a portal input's allow, a portal
/// output's write). The list is copied in, so the caller may reuse its span at once. The array starts with room for
/// one segment and grows by doubling up to <see cref="NetworkOnChip.MaxPortalSegments"/>, so a steady stream of
/// transfers allocates nothing once the endpoint has seen its longest list.
/// </summary>
internal sealed class MemorySegmentList
{
    private MemorySegment[] _items = new MemorySegment[1];

    /// <summary>Segments in the list.</summary>
    public int Count { get; private set; }

    /// <summary>Sum of the segments' lengths.</summary>
    public int TotalBytes { get; private set; }

    /// <summary>The segments, in order.</summary>
    public ReadOnlySpan<MemorySegment> Items => _items.AsSpan(0, Count);

    /// <summary>Replaces the list with a copy of <paramref name="segments"/>, already checked, of <paramref name="totalBytes"/> bytes in all.</summary>
    [KernelHotPath]
    public void Set(ReadOnlySpan<MemorySegment> segments, int totalBytes)
    {
        if (segments.Length > _items.Length)
        {
            Grow(segments.Length);
        }

        segments.CopyTo(_items);
        Count = segments.Length;
        TotalBytes = totalBytes;
    }

    /// <summary>Forgets the list (its storage stays for the next one).</summary>
    public void Clear()
    {
        Count = 0;
        TotalBytes = 0;
    }

    /// <summary>Amortized growth, once per new longest list: double, at least to <paramref name="needed"/>, at most to the maximum.</summary>
    private void Grow(int needed)
    {
        int size = Math.Min(NetworkOnChip.MaxPortalSegments, Math.Max(needed, _items.Length * 2));
        _items = new MemorySegment[size];
    }
}
