namespace Nanvix.Kernel.Mm;

/// <summary>
/// The virtual address space of every process, from the bottom: the null page (never mapped); the program's
/// segments and its heap in [<see cref="ImageBottom"/>, <see cref="ImageTop"/>); the stacks of threads 17 down to 1,
/// each with an unmapped guard page below it; the main stack's guard page and the 8 KB main stack, up to
/// <see cref="UserTop"/>; above that, the kernel's half, never mapped for user code. The loader refuses a segment
/// outside the image range, brk stops at its top, and <see cref="AddressSpace"/> refuses to map a reserved page at
/// all, so the stacks, their guards and the program can never land on one another. docs/abi.md draws the map.
/// </summary>
public static class UserAddressMap
{
    /// <summary>End of the null page: never mapped, so that a null pointer faults (Linux refuses the same range to
    /// programs: vm.mmap_min_addr, 4096 at least, Documentation/admin-guide/sysctl/vm.rst).</summary>
    public const uint NullPageEnd = KernelConstants.PageSize;

    /// <summary>End of the user half (exclusive): the main stack's top; from here to 4 GB is the kernel's half.</summary>
    public const uint UserTop = KernelConstants.UserStackTop;

    /// <summary>Bytes of unmapped guard pages below each stack.</summary>
    public const uint GuardBytes = KernelConstants.GuardPages * KernelConstants.PageSize;

    /// <summary>Lowest address of the main stack.</summary>
    public const uint MainStackBottom = UserTop - KernelConstants.MainStackBytes;

    /// <summary>Bytes one thread (1..17) takes below the main stack: its guard page, then its stack.</summary>
    public const uint ThreadSlotBytes = GuardBytes + KernelConstants.ThreadStackBytes;

    /// <summary>Lowest address of the stack region (the guard page of thread 17's stack): 0x7FFD_B000.</summary>
    public const uint StacksBottom = MainStackBottom - GuardBytes - ((KernelConstants.MaxThreads - 1) * ThreadSlotBytes);

    /// <summary>Lowest address a program's segment may use.</summary>
    public const uint ImageBottom = NullPageEnd;

    /// <summary>First address past what a program's segments and heap may use: the bottom of the stack region.</summary>
    public const uint ImageTop = StacksBottom;

    /// <summary>Top (exclusive) of the user stack of thread <paramref name="tid"/>: the main thread's (0) is
    /// <see cref="UserTop"/>; thread t's (1..17) lies below the main stack's guard, one slot per thread.</summary>
    public static uint StackTop(int tid) =>
        tid == 0 ? UserTop : MainStackBottom - GuardBytes - ((uint)(tid - 1) * ThreadSlotBytes);

    /// <summary>Lowest address of the user stack of thread <paramref name="tid"/>.</summary>
    public static uint StackBottom(int tid) =>
        StackTop(tid) - (tid == 0 ? KernelConstants.MainStackBytes : KernelConstants.ThreadStackBytes);

    /// <summary>True when <paramref name="virtualPage"/> may never be mapped: the null page, a guard page, the kernel's half.</summary>
    public static bool IsReservedPage(uint virtualPage)
    {
        if (virtualPage < NullPageEnd || virtualPage >= UserTop)
        {
            return true;
        }

        // Below the main stack, the region is tiled by slots whose lowest pages are the guard.
        return virtualPage >= StacksBottom && virtualPage < MainStackBottom && (virtualPage - StacksBottom) % ThreadSlotBytes < GuardBytes;
    }

    /// <summary>
    /// The lowest range outside the image range that [<paramref name="start"/>, <paramref name="end"/>) overlaps (the
    /// null page, a thread's guard page or stack, the main stack's guard page or the main stack, the kernel's half);
    /// false when the range lies inside [<see cref="ImageBottom"/>, <see cref="ImageTop"/>).
    /// </summary>
    public static bool TryFindReserved(ulong start, ulong end, out UserRange range)
    {
        if (start >= end)
        {
            range = default;
            return false;
        }

        if (start < NullPageEnd)
        {
            range = new UserRange("the null page", 0, NullPageEnd);
            return true;
        }

        if (end > StacksBottom && start < UserTop)
        {
            ulong first = Math.Max(start, StacksBottom);
            for (int tid = KernelConstants.MaxThreads - 1; tid >= 0; tid--)
            {
                string name = tid == 0 ? "the main stack" : $"the stack of thread {tid}";
                if (first < StackBottom(tid))
                {
                    range = new UserRange($"the guard page of {name}", StackBottom(tid) - GuardBytes, StackBottom(tid));
                    return true;
                }

                if (first < StackTop(tid))
                {
                    range = new UserRange(name, StackBottom(tid), StackTop(tid));
                    return true;
                }
            }
        }

        if (end > UserTop)
        {
            range = new UserRange("the kernel's half of the address space", UserTop, 1UL << 32);
            return true;
        }

        range = default;
        return false;
    }
}
