namespace Nanvix.Arch.Core;

/// <summary>Interpreter mode that sends every fetch, load and store through the core's cache models (the reference, <see cref="HartEngine.Step"/>).</summary>
internal readonly struct CachesOn : ICacheMode
{
    public static bool Enabled => true;

    public static bool CountsRepeatedLineHits => false;
}
