using System.Runtime.InteropServices;

namespace Nanvix.Kernel.Layout;

/// <summary>The value a thread exited with, kept for its join.</summary>
[KernelStruct(4)]
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct ReturnValue
{
    [FieldOffset(0)] public uint Value;
}
