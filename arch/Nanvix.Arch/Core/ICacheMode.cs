namespace Nanvix.Arch.Core;

/// <summary>
/// Compile-time switch for the interpreter loop: it is instantiated once per mode over a struct type, so the JIT (and
/// NativeAOT) drop the cache-model code entirely when caches are off.
/// </summary>
internal interface ICacheMode
{
    static abstract bool Enabled { get; }
}
