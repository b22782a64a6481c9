using System.Runtime.InteropServices;
using Nanvix.Kernel.Ikc;

namespace Nanvix.Kernel.Services;

/// <summary>One name of the name service: where the process that linked it listens (node, port) and its pid.</summary>
[KernelStruct(64)]
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct NameEntry
{
    [FieldOffset(0)] public int InUse;
    [FieldOffset(4)] public int Node;
    [FieldOffset(8)] public int Port;
    [FieldOffset(12)] public int Pid;
    [FieldOffset(16)] public int Length;
    /// <summary>Heartbeats received for this name since it was linked.</summary>
    [FieldOffset(20)] public int Heartbeats;
    [FieldOffset(24)] public NameText Name;
}
