namespace Nanvix.Hal.Noc;

/// <summary>How the NoC turns a transfer into cycles.</summary>
public enum NocTimingMode
{
    /// <summary>The wires: per-hop latency, link bandwidth, per-packet header, per-link contention.</summary>
    Hardware,

    /// <summary>The Nanvix software path as measured on the real chip: a fixed cost per operation plus a cost per byte.</summary>
    Nanvix,
}
