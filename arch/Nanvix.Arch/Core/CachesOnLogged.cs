namespace Nanvix.Arch.Core;

/// <summary>The mode of <see cref="CachesOn"/> (every access through the models) that logs each user miss with its pc.</summary>
internal readonly struct CachesOnLogged : ICacheMode
{
    public static bool Enabled => true;

    public static bool CountsRepeatedLineHits => false;
}
