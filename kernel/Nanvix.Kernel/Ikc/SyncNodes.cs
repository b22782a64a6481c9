using System.Runtime.CompilerServices;

namespace Nanvix.Kernel.Ikc;

/// <summary>The node list of a <see cref="SyncEntry"/>, as the program gave it.</summary>
[InlineArray(SyncEntry.MaxNodes)]
public struct SyncNodes
{
    private int _element0;
}
