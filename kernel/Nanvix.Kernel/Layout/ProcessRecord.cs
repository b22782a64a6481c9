using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// The kernel's process table entry for one process, an unmanaged record in the cluster's kernel-data region, the
/// same under both layouts: identity, exit status and the shape of the address space. What the process owns of the
/// thread and memory subsystems (threads, queues, stacks, page-table root, board, sync objects) is placed by the
/// layout (<see cref="Layout.IProcessLayout"/>).
/// </summary>
[KernelStruct(48)]
[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct ProcessRecord
{
    [FieldOffset(0)] public int Pid;
    [FieldOffset(4)] public ProcessState State;
    [FieldOffset(8)] public int ExitStatus;
    [FieldOffset(12)] public uint Entry;
    [FieldOffset(16)] public uint ImageStart;
    [FieldOffset(20)] public uint ImageEnd;

    /// <summary>First address of the heap; brk never goes below it.</summary>
    [FieldOffset(24)] public uint BrkStart;

    /// <summary>Current program break.</summary>
    [FieldOffset(28)] public uint Brk;

    /// <summary>Lowest mapped address of the main stack; the guard page lies just below.</summary>
    [FieldOffset(32)] public uint StackBottom;

    [FieldOffset(36)] public uint StackTop;

    [FieldOffset(40)] public ulong KernelCalls;
}
