using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>Who waits to join a thread.</summary>
[KernelStruct(8)]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct JoinCondition
{
    /// <summary>1 when <see cref="Waiter"/> is set.</summary>
    [FieldOffset(0)] public int HasWaiter;

    [FieldOffset(4)] public int Waiter;
}
