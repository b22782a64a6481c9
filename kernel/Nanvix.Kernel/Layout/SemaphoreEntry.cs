using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>A kernel semaphore of a process.</summary>
[KernelStruct(8)]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct SemaphoreEntry
{
    [FieldOffset(0)] public int InUse;
    [FieldOffset(4)] public int Value;
}
