using System.Runtime.CompilerServices;

namespace Nanvix.Kernel.Layout;

/// <summary>The six argument registers (a0-a5) of a posted kernel call.</summary>
[InlineArray(6)]
public struct CallArguments
{
    private uint _element0;
}
