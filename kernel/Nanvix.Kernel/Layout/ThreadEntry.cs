using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>One row of a process's thread table: identity, state, affinity and what it waits for.</summary>
[KernelStruct(40)]
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct ThreadEntry
{
    [FieldOffset(0)] public int Tid;
    [FieldOffset(4)] public ThreadStatus State;

    /// <summary>The core the thread runs on (1..15 on a compute cluster).</summary>
    [FieldOffset(8)] public int Core;

    [FieldOffset(12)] public WaitKind WaitKind;

    /// <summary>The thread, mutex, semaphore or condition waited for.</summary>
    [FieldOffset(16)] public int WaitObject;

    /// <summary>For a condition wait: the mutex to take back on wake-up.</summary>
    [FieldOffset(20)] public int WaitMutex;

    /// <summary>Order of arrival among waiters: the lowest ticket is woken first (FIFO).</summary>
    [FieldOffset(24)] public int WaitTicket;

    /// <summary>1 when a wake-up arrived while the thread was not sleeping; the next sleep returns at once.</summary>
    [FieldOffset(28)] public int WakeupPending;

    /// <summary>Cycle from which the thread may run (the end of the kernel call that readied it).</summary>
    [FieldOffset(32)] public ulong ReadyAt;
}
