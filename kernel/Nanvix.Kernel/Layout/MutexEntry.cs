using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>A kernel mutex of a process.</summary>
[KernelStruct(8)]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct MutexEntry
{
    [FieldOffset(0)] public int InUse;

    /// <summary>Tid of the holder, or -1.</summary>
    [FieldOffset(4)] public int Owner;
}
