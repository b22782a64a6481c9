namespace Nanvix.Kernel.Layout;

/// <summary>Where the kernel keeps the state each process owns.</summary>
public enum ProcessLayoutKind
{
    /// <summary>All of it in one contiguous User Area per process (the seed's design).</summary>
    UArea,

    /// <summary>Separate kernel globals, one table per kind of state (the original Nanvix).</summary>
    Scattered,
}
