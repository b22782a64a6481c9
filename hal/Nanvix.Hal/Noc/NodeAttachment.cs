namespace Nanvix.Hal.Noc;

/// <summary>
/// Where a NoC node meets the network: the router at (<see cref="X"/>, <see cref="Y"/>), either as the router's own
/// local port (no extra hop) or through a link of its own at the edge of the grid (one extra hop each way).
/// </summary>
public readonly record struct NodeAttachment(int X, int Y, bool ThroughEdgeLink);
