using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// One slot of the kernel-call board: a core posts the call here and the master core serves it (Nanvix's
/// asymmetric kernel: slave cores forward their kernel calls to the master).
/// </summary>
[KernelStruct(40)]
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct SysboardEntry
{
    [FieldOffset(0)] public SysboardState State;

    [FieldOffset(4)] public int Tid;
    [FieldOffset(8)] public uint Number;
    [FieldOffset(12)] public CallArguments Arguments;
    [FieldOffset(36)] public int Result;
}

/// <summary>Where a slot of the kernel-call board is in its round trip.</summary>
public enum SysboardState
{
    /// <summary>No call in the slot.</summary>
    Empty = 0,

    /// <summary>The core posted a call; the master has not answered it yet.</summary>
    Posted = 1,

    /// <summary>The master wrote the result; the core takes it when it resumes.</summary>
    Served = 2,
}
