using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// One portal descriptor of a process on its way between clusters: its entry as the source kept it, at table index
/// <see cref="Index"/> (the threads parked on it name that index; the target maps it to the entry's new one).
/// </summary>
public readonly record struct PortalImage(int Index, PortalEntry Entry);
