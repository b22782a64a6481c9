using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Images;

/// <summary>The kernel pages a process's kernel state is staged in while it travels, on either side of a move.</summary>
internal static class StagingPages
{
    /// <summary>Enough kernel pages for <paramref name="bytes"/> (at least one), or null (and none kept) when the pool runs out.</summary>
    public static uint[]? Allocate(PageAllocator kernelPages, int bytes)
    {
        var pages = new uint[Math.Max(1, (bytes + (int)KernelConstants.PageSize - 1) / (int)KernelConstants.PageSize)];
        for (int i = 0; i < pages.Length; i++)
        {
            if (!kernelPages.TryAllocate(out pages[i]))
            {
                Free(kernelPages, pages.AsSpan(0, i));
                return null;
            }
        }

        return pages;
    }

    public static void Free(PageAllocator kernelPages, ReadOnlySpan<uint> pages)
    {
        foreach (uint page in pages)
        {
            kernelPages.Free(page);
        }
    }
}
