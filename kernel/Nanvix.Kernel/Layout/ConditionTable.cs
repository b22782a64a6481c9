using System.Runtime.CompilerServices;
using Nanvix.Kernel.Sync;

namespace Nanvix.Kernel.Layout;

/// <summary>The condition variables of one process.</summary>
[InlineArray(KernelConstants.MaxSyncObjects)]
public struct ConditionTable
{
    private ConditionEntry _element0;
}
