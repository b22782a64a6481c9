using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Mm;

/// <summary>A process's paging state: the physical address of its root page table.</summary>
[KernelStruct(4)]
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct PageTablePointer
{
    [FieldOffset(0)] public uint Root;
}
