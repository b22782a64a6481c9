namespace Nanvix.Hal.Machine;

/// <summary>What a cluster is for.</summary>
public enum ClusterKind
{
    /// <summary>An I/O cluster: runs the multikernel services and talks to the outside.</summary>
    IO,

    /// <summary>A compute cluster: runs user processes.</summary>
    Compute,
}
