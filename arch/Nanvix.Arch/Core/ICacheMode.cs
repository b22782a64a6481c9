namespace Nanvix.Arch.Core;

/// <summary>
/// Compile-time switch for the interpreter loop: it is instantiated once per mode over a struct type, so the JIT (and
/// NativeAOT) drop the cache-model code entirely when caches are off.
/// <para>
/// The modes that log user misses (<see cref="CachesOnLogged"/>, <see cref="CachesOnRepeatedLineHitsLogged"/>) keep the
/// pc of each access where the miss path finds it. They are told apart by a type test
/// (<c>typeof(TCaches) == typeof(CachesOnLogged)</c>), in the loops themselves and in the miss functions the loops call,
/// never in the helpers the loops inline: the JIT folds a type test while it imports a method, so the other modes' code
/// is what it was. A property is one more call to inline, and any growth of the inlined helpers (an argument, a branch)
/// changes how the JIT compiles the block engine's loop, which is at the edge of its inlining budget: measured under
/// NativeAOT, 3.5 % more host instructions a guest instruction with the cache model on, until the logging code left the
/// helpers; and a miss function holding the logging body itself gets a frame pointer, +1.8 %.
/// </para>
/// </summary>
internal interface ICacheMode
{
    static abstract bool Enabled { get; }

    /// <summary>
    /// True when the loop counts a repeated access to the line the cache model accessed last as a hit by itself (see
    /// <see cref="HartEngine.Fast"/>); false when every access goes through the model, as the reference engine does.
    /// </summary>
    static abstract bool CountsRepeatedLineHits { get; }
}
