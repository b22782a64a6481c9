using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>Per-process control variables of the thread subsystem.</summary>
[KernelStruct(16)]
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct ThreadControl
{
    /// <summary>Threads that have not exited.</summary>
    [FieldOffset(0)] public int LiveThreads;

    /// <summary>Next waiter ticket.</summary>
    [FieldOffset(4)] public int NextTicket;

    /// <summary>Threads created since the process started, the main thread included.</summary>
    [FieldOffset(8)] public int Created;

    /// <summary>
    /// Moves of the process to another cluster tried so far: the number of the latest names it in every migration
    /// message (with its pid and the node it leaves), so that a message of another move is never taken for it.
    /// </summary>
    [FieldOffset(12)] public int Moves;
}
