using System.Runtime.CompilerServices;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Layout;

/// <summary>The node list of a <see cref="SyncEntry"/>, as the program gave it (node numbers, 2 bytes each).</summary>
[InlineArray(SyncEntry.MaxNodes)]
public struct SyncNodes
{
    private ushort _element0;
}
