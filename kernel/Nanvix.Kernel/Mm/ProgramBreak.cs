namespace Nanvix.Kernel.Mm;

/// <summary>
/// The program break (Linux <c>brk</c>): the heap of a process lies in [its break's start,
/// <see cref="UserAddressMap.ImageTop"/>), grown and shrunk by whole pages of its address space, never into the stacks
/// or their guard pages.
/// </summary>
public static class ProgramBreak
{
    /// <summary>
    /// Moves the break from <paramref name="current"/> to <paramref name="requested"/> in <paramref name="space"/>:
    /// returns the new break, or <paramref name="current"/> when the request is out of the heap's range or the frames
    /// run out. <paramref name="flushTlbs"/> says whether pages were unmapped (or a growth undone), so that no core may
    /// keep using their old frames.
    /// </summary>
    public static uint Move(AddressSpace space, uint start, uint current, uint requested, out bool flushTlbs)
    {
        ArgumentNullException.ThrowIfNull(space);
        flushTlbs = false;
        if (requested < start || requested > UserAddressMap.ImageTop)
        {
            return current;
        }

        uint oldEnd = PageUp(current);
        uint newEnd = PageUp(requested);
        if (newEnd > oldEnd && space.MapRange(oldEnd, newEnd, PagePermissions.ReadWrite) != MapResult.Mapped)
        {
            flushTlbs = true;
            return current;
        }

        for (uint page = newEnd; page < oldEnd; page += KernelConstants.PageSize)
        {
            space.Unmap(page);
        }

        flushTlbs = newEnd < oldEnd;
        return requested;
    }

    private static uint PageUp(uint address) => (uint)(((ulong)address + KernelConstants.PageSize - 1) & ~(ulong)(KernelConstants.PageSize - 1));
}
