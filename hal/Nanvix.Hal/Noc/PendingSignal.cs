namespace Nanvix.Hal.Noc;

/// <summary>
/// A sync signal that reached a node before any matching sync input was open there. It is kept at the node and
/// counted by the next sync input created there with the same mode and node list, so that the order in which
/// clusters boot (signal before create) does not lose a barrier.
/// </summary>
/// <param name="Mode">Shape of the sync point the signal belongs to.</param>
/// <param name="Nodes">Node list of that sync point (the signalling output's own copy; never changed).</param>
/// <param name="Source">Node that signalled.</param>
internal readonly record struct PendingSignal(SyncMode Mode, int[] Nodes, int Source);
