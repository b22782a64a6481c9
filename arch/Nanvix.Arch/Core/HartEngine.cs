namespace Nanvix.Arch.Core;

/// <summary>
/// How a <see cref="Hart"/> executes: every engine gives the same registers, memory, traps, retired counts, cycles
/// and cache counters at every instruction; they differ only in host time. <see cref="Step"/> is the reference the
/// others are tested against.
/// </summary>
public enum HartEngine
{
    /// <summary>
    /// The default. Today it is <see cref="Step"/> except with cache models on: a fetch, load or store to the line the
    /// model accessed last is counted as a hit without calling the model (the model would find the line most recently
    /// used in its set and in its shadow, change no LRU order and count a hit: the common case of sequential fetches).
    /// </summary>
    Fast = 0,

    /// <summary>The reference stepping engine: one instruction at a time, every access through the cache models.</summary>
    Step,
}
