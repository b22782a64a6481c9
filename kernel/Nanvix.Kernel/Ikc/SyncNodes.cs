using System.Runtime.CompilerServices;

namespace Nanvix.Kernel.Ikc;

/// <summary>The node list of a <see cref="SyncEntry"/>, as the program gave it (node numbers, 2 bytes each).</summary>
[InlineArray(SyncEntry.MaxNodes)]
public struct SyncNodes
{
    private ushort _element0;
}
