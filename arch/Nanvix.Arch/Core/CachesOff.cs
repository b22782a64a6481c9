namespace Nanvix.Arch.Core;

/// <summary>Interpreter mode with no cache models: no cost at all.</summary>
internal readonly struct CachesOff : ICacheMode
{
    public static bool Enabled => false;

    public static bool CountsRepeatedLineHits => false;
}
