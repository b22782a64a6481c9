namespace Nanvix.Arch.Cache;

/// <summary>Who made a cache access, so that user and kernel accesses are counted apart.</summary>
public enum AccessSource
{
    /// <summary>An instruction of the user program (fetch, load, store, atomic).</summary>
    User,

    /// <summary>The kernel, reading or writing its own structures on behalf of a core.</summary>
    Kernel,
}
