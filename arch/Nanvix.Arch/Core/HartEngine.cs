namespace Nanvix.Arch.Core;

/// <summary>
/// How a <see cref="Hart"/> executes: every engine gives the same registers, memory, traps, retired counts, branch
/// counts (taken and not taken), cycles and cache counters at every instruction; they differ only in host time. <see cref="Step"/> is the reference the
/// others are tested against.
/// </summary>
public enum HartEngine
{
    /// <summary>
    /// The default: basic blocks (<see cref="BasicBlocks"/>), predecoded once per code page, charged their instruction
    /// count and base cycles on entry and run with no per-instruction budget, page or decode check; loads and stores
    /// that hit way 0 of the TLB take one compare and one add. What a block does not hold (traps, FENCE.I, counter reads,
    /// LR/SC, AMOs, the end of a budget inside a block) runs through <see cref="Step"/>'s loop. With cache models on, a
    /// fetch, load or store to the line the model accessed last (which it holds as most recently used in its set and in
    /// its shadow, so the access changes no LRU order) is counted as a hit without calling the model.
    /// </summary>
    Fast = 0,

    /// <summary>The reference stepping engine: one instruction at a time, every access through the cache models.</summary>
    Step,
}
