namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// Communicating programs started together, as an image would start them (pids 1, 2, … in this order).
/// <paramref name="Earliest"/> is the share of an unmoved run before which no move is asked: programs that name their
/// peers by node number must have opened their mailboxes, portals or sync points first, because a process that moves
/// before it opened anything leaves nothing at its old node for a peer to reach. <paramref name="Movable"/> lists the
/// programs that may move (null: all).
/// </summary>
internal sealed record StressSample(string Name, StressProgram[] Programs, double Earliest, int[]? Movable = null)
{
    /// <summary>The indices of the programs that may move.</summary>
    public int[] MovablePrograms => Movable ?? [.. Enumerable.Range(0, Programs.Length)];

    /// <summary>
    /// The samples of the stress test and the soak. fifo's receiver tells its senders apart by the node a message says
    /// it came from, so a sender that moves looks like a new sender to it: only fifo's receiver moves (the stream,
    /// whose senders number themselves, moves everyone). names' clients all create their input on the same port and tell
    /// the server their node: a client that arrives on another client's cluster before it created its input cannot
    /// create it there, so names moves only after the first 45 % of its run. barrier's members make their second sync point
    /// only when the first one's open has returned, at 6.5 % of an unmoved run with the cache model on (the kernel's
    /// data accesses all cost D$ misses), so barrier moves after the first 10 %: a member that moves in between cannot
    /// make a point that names the node it left.
    /// </summary>
    public static readonly StressSample[] All =
    [
        new("pingpong", [new("CC0", ["pingpong", "ping", "9", "40", "100"]), new("CC1", ["pingpong", "pong", "8", "40", "100"])], 0.05),
        new("apingpong", [new("CC0", ["pingpong", "aping", "9", "40", "100"]), new("CC1", ["pingpong", "pong", "8", "40", "100"])], 0.05),
        new("portal", [new("CC0", ["portal", "ping", "9", "20", "3000"]), new("CC1", ["portal", "pong", "8", "20", "3000"])], 0.05),
        new("aportal", [new("CC0", ["portal", "aping", "9", "20", "3000"]), new("CC1", ["portal", "pong", "8", "20", "3000"])], 0.05),
        new("fifo", [new("CC0", ["fifo", "receive", "3", "40"]), new("CC1", ["fifo", "send", "8", "40"]), new("CC2", ["fifo", "send", "8", "40"]), new("CC3", ["fifo", "send", "8", "40"])], 0.05, [0]),
        new("stream", [new("CC0", ["stream", "recv", "10", "30", "3"]), new("CC5", ["stream", "send", "0", "30"]), new("CC10", ["stream", "send", "1", "30"]), new("CC15", ["stream", "send", "2", "30"])], 0),
        new("barrier", [new("CC0", ["barrier", "3", "30"]), new("CC1", ["barrier", "3", "30"]), new("CC2", ["barrier", "3", "30"])], 0.10),
        new("names", [new("CC3", ["named", "server", "echo-server", "3"]), new("CC0", ["named", "client", "echo-server"]), new("CC9", ["named", "client", "echo-server"]), new("CC15", ["named", "client", "echo-server"])], 0.45),
        new("mix", [new("CC0", ["pingpong", "ping", "9", "30", "64"]), new("CC1", ["pingpong", "pong", "8", "30", "64"]), new("CC2", ["cpu", "1"]), new("CC3", ["threads", "mutex"])], 0.05),
    ];

    public static StressSample Named(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no stress sample '{name}' (samples: {string.Join(", ", All.Select(s => s.Name))})");
}
