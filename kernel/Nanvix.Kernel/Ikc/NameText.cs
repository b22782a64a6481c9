using System.Runtime.CompilerServices;

namespace Nanvix.Kernel.Ikc;

/// <summary>The bytes of a name in the name service's table (up to 39 and a terminating zero).</summary>
[InlineArray(KernelConstants.MaxNameLength + 1)]
public struct NameText
{
    private byte _element0;
}
