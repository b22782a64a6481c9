using System.Runtime.CompilerServices;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>The stack pointers of one process's threads.</summary>
[InlineArray(KernelConstants.MaxThreads)]
public struct StackTable
{
    private ThreadStacks _element0;
}
