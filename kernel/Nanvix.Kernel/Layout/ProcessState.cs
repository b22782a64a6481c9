namespace Nanvix.Kernel.Layout;

/// <summary>Life of a process slot.</summary>
public enum ProcessState
{
    Free = 0,
    Ready = 1,
    Exited = 2,

    /// <summary>Stopped for a move to another cluster: not scheduled, everything still here until the move ends.</summary>
    Frozen = 3,

    /// <summary>Reserved for a process moving here: its regions are arriving.</summary>
    Incoming = 4,
}
