using System.Globalization;
using Nanvix.Kernel.Migration;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// One move: program <paramref name="Program"/> (an index into the sample's programs; its pid is one more) to compute
/// cluster CC<paramref name="Cluster"/>, at the first quantum boundary of its cluster at or after
/// <paramref name="Cycle"/>. <paramref name="LostRegion"/> 0, 1 or 2 loses that region of the move (kernel state,
/// sections, stacks) on the NoC, 3 its manifest, 4 the target's answer, 5 the source's Evicted; -1 loses nothing. A
/// pre-copy move (<paramref name="Mode"/>) writes its batches first, so its regions 0, 1, 2 are its first writes,
/// batches or not, and its "manifest" is its first batch's notice; a post-copy move's pages pulled later are not hit.
/// </summary>
internal readonly record struct StressMove(ulong Cycle, int Program, int Cluster, int LostRegion = -1, MigrationMode Mode = MigrationMode.Stop)
{
    /// <summary>As <c>nanvix run --migrate</c> takes it (the fault cannot be said on the command line).</summary>
    public string Argument => string.Create(CultureInfo.InvariantCulture, $"{Cycle}:CC{Cluster}:{Program + 1}") + Mode switch
    {
        MigrationMode.Precopy => ":precopy",
        MigrationMode.Postcopy => ":postcopy",
        _ => "",
    };

    public override string ToString() => LostRegion < 0 ? Argument : $"{Argument} ({Lost} lost)";

    /// <summary>What the fault loses, in words.</summary>
    public string Lost => LostRegion switch { 3 => "manifest", 4 => "answer", 5 => "Evicted", _ => $"region {LostRegion}" };
}
