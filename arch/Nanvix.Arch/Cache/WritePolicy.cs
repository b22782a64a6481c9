namespace Nanvix.Arch.Cache;

/// <summary>What a cache does on a store.</summary>
public enum WritePolicy
{
    /// <summary>
    /// Stores go to memory; a store hit updates the line, a store miss does not allocate one. The k1b D$ is taken to
    /// work this way (DESIGN.md section 3, after de Dinechin 2013; still to confirm against the sources).
    /// </summary>
    WriteThroughNoAllocate,

    /// <summary>Stores stay in the cache (dirty lines are written back on eviction); a store miss allocates the line.</summary>
    WriteBackAllocate,
}
