using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Proc;

/// <summary>
/// The kernel's process table entry for one process, an unmanaged record in the cluster's kernel-data region, the
/// same under both layouts: identity, exit status and the shape of the address space. What the process owns of the
/// thread and memory subsystems (threads, queues, stacks, page-table root, board, sync objects) is placed by the
/// layout (<see cref="Layout.IProcessLayout"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessRecord
{
    public int Pid;
    public ProcessState State;
    public int ExitStatus;

    public uint Entry;
    public uint ImageStart;
    public uint ImageEnd;

    /// <summary>First address of the heap; brk never goes below it.</summary>
    public uint BrkStart;

    /// <summary>Current program break.</summary>
    public uint Brk;

    /// <summary>Lowest mapped address of the main stack; the guard page lies just below.</summary>
    public uint StackBottom;

    public uint StackTop;

    public ulong KernelCalls;
}
