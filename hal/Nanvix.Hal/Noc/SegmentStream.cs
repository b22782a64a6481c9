using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Noc;

/// <summary>
/// A scatter/gather list read as one stream of bytes, the way a portal write sees it: its length, and the copy of a
/// stream from one list of <see cref="MemorySegment"/>s into another, wherever each list cuts it.
/// </summary>
internal static class SegmentStream
{
    /// <summary>
    /// Sum of the lengths of a list of segments, and in <paramref name="empty"/> the first segment of less than 1 byte
    /// in a list of 2 or more, or -1 (a one-segment list is judged by its total, with the messages of the plain calls).
    /// </summary>
    [KernelHotPath]
    public static long Bytes(ReadOnlySpan<MemorySegment> segments, out int empty)
    {
        empty = -1;
        long total = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            int length = segments[i].Length;
            if (length < 1 && segments.Length > 1 && empty < 0)
            {
                empty = i;
            }

            total += length;
        }

        return total;
    }

    /// <summary>
    /// Copies the first <paramref name="bytes"/> of the stream the <paramref name="source"/> segments make, in order,
    /// into the <paramref name="destination"/> segments, in order. The two lists may cut the stream at different places,
    /// so it goes piece by piece, each piece as long as what is left of the current segment on both sides.
    /// </summary>
    [KernelHotPath]
    public static void Copy(
        ClusterMemory from, ReadOnlySpan<MemorySegment> source, ClusterMemory to, ReadOnlySpan<MemorySegment> destination, int bytes)
    {
        int s = 0;
        int d = 0;
        int sourceDone = 0;
        int destinationDone = 0;
        while (bytes > 0)
        {
            MemorySegment read = source[s];
            MemorySegment write = destination[d];
            int piece = Math.Min(Math.Min(read.Length - sourceDone, write.Length - destinationDone), bytes);
            from.CopyTo(read.Offset + (ulong)sourceDone, to, write.Offset + (ulong)destinationDone, piece);
            bytes -= piece;
            sourceDone += piece;
            destinationDone += piece;
            if (sourceDone == read.Length)
            {
                s++;
                sourceDone = 0;
            }

            if (destinationDone == write.Length)
            {
                d++;
                destinationDone = 0;
            }
        }
    }
}
