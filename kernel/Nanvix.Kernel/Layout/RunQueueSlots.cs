using System.Runtime.CompilerServices;

namespace Nanvix.Kernel.Layout;

/// <summary>The ring of thread ids of a <see cref="RunQueue"/>.</summary>
[InlineArray(RunQueue.Capacity)]
public struct RunQueueSlots
{
    private byte _element0;
}
