namespace Nanvix.Kernel.Calls;

/// <summary>
/// The user memory a kernel call may read or write, from its entry in <see cref="KernelCallTable"/>: a pointer with the
/// size after it, a pointer alone (a struct, a list of nodes: <see cref="UnsizedBytes"/>), a zero-terminated text
/// (<see cref="TextBytes"/>). A post-copied process's pages still on the cluster it left must be here before a call
/// that touches them starts, and before a parked call that will touch them moves.
/// </summary>
public static class KernelCallBuffers
{
    /// <summary>Bytes taken for a pointer with no size: more than any struct or node list a call takes.</summary>
    public const uint UnsizedBytes = 256;

    /// <summary>Bytes taken for a text: more than the longest name or program name a call takes.</summary>
    public const uint TextBytes = 128;

    /// <summary>Bytes of a range at most: a buffer longer than a cluster's memory cannot be mapped whole, and the call fails on its own.</summary>
    public const uint MaxBytes = 2u << 20;

    /// <summary>
    /// The first page call <paramref name="number"/> with these arguments would touch that is still on the cluster the
    /// process left (post-copy), or 0: the call waits for it before it starts, so that no call is ever half done.
    /// </summary>
    public static uint FirstRemotePage(Mm.AddressSpace space, uint number, uint a0, uint a1, uint a2)
    {
        ArgumentNullException.ThrowIfNull(space);
        Span<(uint Start, uint Length)> ranges = stackalloc (uint, uint)[3];
        int count = Of(number, a0, a1, a2, ranges);
        for (int i = 0; i < count && space.RemotePages > 0; i++)
        {
            (uint start, uint length) = ranges[i];
            uint first = start & ~(KernelConstants.PageSize - 1);
            uint end = start + Math.Max(length, 1u);
            for (uint page = first; page < end && page >= first; page += KernelConstants.PageSize)
            {
                if (space.IsRemote(page))
                {
                    return page;
                }
            }
        }

        return 0;
    }

    /// <summary>Adds to <paramref name="pages"/> every page call <paramref name="number"/> with these arguments may touch (a parked call that resumes on the target).</summary>
    public static void AddPages(uint number, uint a0, uint a1, uint a2, HashSet<uint> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        Span<(uint Start, uint Length)> ranges = stackalloc (uint, uint)[3];
        int count = Of(number, a0, a1, a2, ranges);
        foreach ((uint start, uint length) in ranges[..count])
        {
            uint first = start & ~(KernelConstants.PageSize - 1);
            uint end = start + Math.Max(length, 1u);
            for (uint page = first; page < end && page >= first; page += KernelConstants.PageSize)
            {
                pages.Add(page);
            }
        }
    }

    /// <summary>Writes the user ranges (start, length) call <paramref name="number"/> with these arguments touches into <paramref name="ranges"/> (3 long); their count.</summary>
    public static int Of(uint number, uint a0, uint a1, uint a2, Span<(uint Start, uint Length)> ranges)
    {
        if (!KernelCallTable.TryGet(number, out KernelCallEntry entry))
        {
            return 0;
        }

        ReadOnlySpan<ArgumentKind> kinds = [entry.A0, entry.A1, entry.A2];
        ReadOnlySpan<uint> values = [a0, a1, a2];
        int count = 0;
        for (int i = 0; i < kinds.Length; i++)
        {
            if (values[i] == 0 || kinds[i] is not (ArgumentKind.Pointer or ArgumentKind.Text))
            {
                continue;
            }

            uint length = kinds[i] == ArgumentKind.Text ? TextBytes
                : i + 1 < kinds.Length && kinds[i + 1] == ArgumentKind.Size ? values[i + 1]
                : UnsizedBytes;
            ranges[count++] = (values[i], Math.Min(length, MaxBytes));
        }

        return count;
    }
}
