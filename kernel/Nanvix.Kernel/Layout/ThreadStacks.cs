using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>Where a thread's two stacks are: its kernel stack page (saved context at the top) and its user stack.</summary>
[KernelStruct(8)]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct ThreadStacks
{
    /// <summary>Physical address of the 4 KB kernel stack page.</summary>
    [FieldOffset(0)] public uint KernelStack;

    /// <summary>Virtual address just above the user stack.</summary>
    [FieldOffset(4)] public uint UserStackTop;
}
