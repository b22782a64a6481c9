namespace Nanvix.Arch.Core;

/// <summary>
/// Interpreter mode of <see cref="HartEngine.Fast"/> with cache models: an access to the line the model accessed last
/// (and holds as most recently used) is counted as a hit in the loop, with no call into the model; the counts are
/// handed to the model when the run ends.
/// </summary>
internal readonly struct CachesOnRepeatedLineHits : ICacheMode
{
    public static bool Enabled => true;

    public static bool CountsRepeatedLineHits => true;
}
