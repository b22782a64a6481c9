using System.Runtime.CompilerServices;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>The thread entries of one process.</summary>
[InlineArray(KernelConstants.MaxThreads)]
public struct ThreadTable
{
    private ThreadEntry _element0;
}
