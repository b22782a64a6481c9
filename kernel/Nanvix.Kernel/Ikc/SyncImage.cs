using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>One sync point descriptor of a process on its way between clusters: its entry as the source kept it, at table index <see cref="Index"/>.</summary>
public readonly record struct SyncImage(int Index, SyncEntry Entry);
