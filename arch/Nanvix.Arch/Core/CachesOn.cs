namespace Nanvix.Arch.Core;

/// <summary>Interpreter mode that sends every fetch, load and store through the core's cache models.</summary>
internal readonly struct CachesOn : ICacheMode
{
    public static bool Enabled => true;
}
