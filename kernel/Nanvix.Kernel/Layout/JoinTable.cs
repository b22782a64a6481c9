using System.Runtime.CompilerServices;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>The join conditions of one process's threads.</summary>
[InlineArray(KernelConstants.MaxThreads)]
public struct JoinTable
{
    private JoinCondition _element0;
}
