namespace Nanvix.Arch.Core;

/// <summary>
/// Compile-time switch for the interpreter loop: it is instantiated once per mode over a struct type, so the JIT (and
/// NativeAOT) drop the cache-model code entirely when caches are off.
/// </summary>
internal interface ICacheMode
{
    static abstract bool Enabled { get; }

    /// <summary>
    /// True when the loop counts a repeated access to the line the cache model accessed last as a hit by itself (see
    /// <see cref="HartEngine.Fast"/>); false when every access goes through the model, as the reference engine does.
    /// </summary>
    static abstract bool CountsRepeatedLineHits { get; }

    /// <summary>
    /// True when every user miss is logged with the pc of the instruction that made it (<see cref="Hart.UserMisses"/>);
    /// a loop without a log is compiled with none of that code.
    /// </summary>
    static abstract bool LogsUserMisses { get; }
}
