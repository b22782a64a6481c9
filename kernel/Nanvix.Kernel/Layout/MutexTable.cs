using System.Runtime.CompilerServices;
using Nanvix.Kernel.Sync;

namespace Nanvix.Kernel.Layout;

/// <summary>The mutexes of one process.</summary>
[InlineArray(KernelConstants.MaxSyncObjects)]
public struct MutexTable
{
    private MutexEntry _element0;
}
