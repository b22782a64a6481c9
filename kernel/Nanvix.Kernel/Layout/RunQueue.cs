using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>A process's ready threads in round-robin order: a ring of thread ids.</summary>
[KernelStruct(32)]
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct RunQueue
{
    public const int Capacity = 24;

    [FieldOffset(0)] public int Head;
    [FieldOffset(4)] public int Count;
    [FieldOffset(8)] public RunQueueSlots Threads;
}
