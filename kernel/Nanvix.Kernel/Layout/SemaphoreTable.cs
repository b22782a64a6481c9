using System.Runtime.CompilerServices;
using Nanvix.Kernel.Sync;

namespace Nanvix.Kernel.Layout;

/// <summary>The semaphores of one process.</summary>
[InlineArray(KernelConstants.MaxSyncObjects)]
public struct SemaphoreTable
{
    private SemaphoreEntry _element0;
}
