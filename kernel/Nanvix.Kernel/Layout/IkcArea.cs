using System.Runtime.CompilerServices;
using Nanvix.Kernel.Ikc;

namespace Nanvix.Kernel.Layout;

/// <summary>The IKC descriptors of one process: its part of the IKC descriptor table, in its User Area.</summary>
[InlineArray(KernelConstants.IkcDescriptorsPerProcess)]
public struct IkcArea
{
    private IkcEntry _element0;
}
