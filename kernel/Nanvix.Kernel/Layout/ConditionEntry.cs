using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>A kernel condition variable of a process (its waiters are the threads blocked on it).</summary>
[KernelStruct(4)]
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct ConditionEntry
{
    [FieldOffset(0)] public int InUse;
}
