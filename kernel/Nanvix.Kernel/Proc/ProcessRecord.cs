using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Proc;

/// <summary>
/// What the kernel keeps for one process, as an unmanaged record in the cluster's kernel-data region. The main
/// thread's register context is not here: it lives at the top of the thread's kernel stack page, as in Nanvix.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessRecord
{
    public int Pid;
    public ProcessState State;
    public int ExitStatus;

    /// <summary>Physical address of the root page table.</summary>
    public uint RootTable;

    /// <summary>Physical address of the main thread's kernel stack page (its saved context sits at the top).</summary>
    public uint KernelStack;

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
