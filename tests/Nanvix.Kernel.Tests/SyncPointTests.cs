using Nanvix.Hal.Noc;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Sync points across clusters, driven by user/programs/barrier.c (gather, then broadcast).</summary>
public sealed class SyncPointTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware, 2)]
    [InlineData(NocTimingMode.Hardware, 16)]
    [InlineData(NocTimingMode.Nanvix, 16)]
    public void A_barrier_across_clusters_lets_everybody_through_every_round(NocTimingMode timing, int clusters)
    {
        var programs = Enumerable.Range(0, clusters).Select(c => ($"CC{c}", new[] { "barrier", $"{clusters}", "5" })).ToArray();

        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(timing, programs);

        Assert.Equal(clusters, exits.Count);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        for (int c = 0; c < clusters; c++)
        {
            Assert.Contains($"[CC{c}] barrier: node {8 + c} passed 5 rounds with {clusters} clusters", output);
        }
    }

    [Fact]
    public void A_barrier_missing_a_member_fails_with_ECONNRESET_instead_of_hanging()
    {
        // Three members expected, two started: no process runs on the third node, so nobody will ever signal.
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC0", ["barrier", "3", "1"]), ("CC1", ["barrier", "3", "1"]));

        Assert.All(exits, e => Assert.Equal(1, e.Exit.Status));
        Assert.Contains("[CC0] barrier: node 8: round 0 failed (-104", output);
    }
}
