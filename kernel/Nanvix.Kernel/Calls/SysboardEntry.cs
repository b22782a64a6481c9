using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// One slot of the kernel-call board: a core posts the call here and the master core serves it (Nanvix's
/// asymmetric kernel: slave cores forward their kernel calls to the master).
/// </summary>
[KernelStruct(40)]
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct SysboardEntry
{
    /// <summary>0 empty, 1 posted, 2 served.</summary>
    [FieldOffset(0)] public int State;

    [FieldOffset(4)] public int Tid;
    [FieldOffset(8)] public uint Number;
    [FieldOffset(12)] public CallArguments Arguments;
    [FieldOffset(36)] public int Result;
}
