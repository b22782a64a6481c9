namespace Nanvix.Arch.Core;

/// <summary>
/// The mode of <see cref="CachesOnRepeatedLineHits"/> that logs each user miss with its pc; a repeated-line hit is never
/// a miss, so counting it in the loop logs nothing less.
/// </summary>
internal readonly struct CachesOnRepeatedLineHitsLogged : ICacheMode
{
    public static bool Enabled => true;

    public static bool CountsRepeatedLineHits => true;
}
