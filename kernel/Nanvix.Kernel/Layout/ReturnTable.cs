using System.Runtime.CompilerServices;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>The return values of one process's threads.</summary>
[InlineArray(KernelConstants.MaxThreads)]
public struct ReturnTable
{
    private ReturnValue _element0;
}
