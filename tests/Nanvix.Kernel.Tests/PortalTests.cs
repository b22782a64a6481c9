using System.Globalization;
using System.Text.RegularExpressions;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Virtual portals between clusters, driven by user/programs/portal.c (the ping side checks every byte).</summary>
public sealed class PortalTests
{
    private static (IReadOnlyList<ClusterExit> Exits, string Output) PingPong(NocTimingMode timing, int size, string from = "CC0", string to = "CC1", int rounds = 3)
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(
            timing,
            (from, ["portal", "ping", $"{SystemRig.Node(to)}", $"{rounds}", $"{size}"]),
            (to, ["portal", "pong", $"{SystemRig.Node(from)}", $"{rounds}", $"{size}"]));
        return (exits, output);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware, 1)]
    [InlineData(NocTimingMode.Hardware, 4095)]
    [InlineData(NocTimingMode.Hardware, 4097)]
    [InlineData(NocTimingMode.Hardware, 65536)]
    [InlineData(NocTimingMode.Nanvix, 10000)]
    public void Portal_transfers_of_any_size_arrive_byte_exact(NocTimingMode timing, int size)
    {
        (IReadOnlyList<ClusterExit> exits, string output) = PingPong(timing, size);

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains($"[CC0] portal: {size} bytes, 3 round trips ok", output);
    }

    [Theory]
    [InlineData(4096, 55, 75)]
    [InlineData(65536, 80, 100)]
    public void Nanvix_mode_portal_throughput_is_near_the_published_figures(int size, double lowMBps, double highMBps)
    {
        // Published on the MPPA-256 (Souto 2019, Penna et al. JPDC 2021): about 63 MB/s at 4 KB, 89 MB/s at 64 KB.
        (_, string output) = PingPong(NocTimingMode.Nanvix, size);

        long nanoseconds = long.Parse(Regex.Match(output, @"ok, (\d+) ns each").Groups[1].Value, CultureInfo.InvariantCulture);
        double megabytesPerSecond = 2.0 * size / nanoseconds * 1000;
        Assert.InRange(megabytesPerSecond, lowMBps, highMBps);
    }

    [Fact]
    public void Hardware_mode_is_bounded_by_the_link_bandwidth()
    {
        (_, string output) = PingPong(NocTimingMode.Hardware, 65536, "CC0", "CC10");

        long nanoseconds = long.Parse(Regex.Match(output, @"ok, (\d+) ns each").Groups[1].Value, CultureInfo.InvariantCulture);
        double megabytesPerSecond = 2.0 * 65536 / nanoseconds * 1000;
        Assert.InRange(megabytesPerSecond, 500, 1600);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware, 16, 4096)]
    [InlineData(NocTimingMode.Nanvix, 4, 10001)]
    public void All_gather_across_clusters_delivers_every_block_byte_exact(NocTimingMode timing, int clusters, int size)
    {
        var programs = Enumerable.Range(0, clusters).Select(c => ($"CC{c}", new[] { "allgather", $"{clusters}", $"{size}" })).ToArray();

        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(timing, programs);

        Assert.Equal(clusters, exits.Count);
        Assert.True(exits.All(e => e.Exit.Status == 0), output);
        Assert.Contains($"[CC0] allgather: {clusters} clusters, {size} bytes each", output);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware, 5000)]
    [InlineData(NocTimingMode.Nanvix, 65536)]
    public void The_asynchronous_pair_posts_a_read_and_a_write_and_waits_for_both(NocTimingMode timing, int size)
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(
            timing,
            ("CC3", ["portal", "aping", $"{SystemRig.Node("CC4")}", "3", $"{size}"]),
            ("CC4", ["portal", "pong", $"{SystemRig.Node("CC3")}", "3", $"{size}"]));

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains($"[CC3] portal: {size} bytes, 3 round trips ok", output);
    }

    [Theory]
    [InlineData("gather", NocTimingMode.Hardware)]
    [InlineData("broadcast", NocTimingMode.Hardware)]
    [InlineData("gather", NocTimingMode.Nanvix)]
    [InlineData("broadcast", NocTimingMode.Nanvix)]
    public void Gather_and_broadcast_across_16_clusters_move_every_byte(string collective, NocTimingMode timing)
    {
        var programs = Enumerable.Range(0, 16).Select(c => ($"CC{c}", new[] { "collective", collective, "16", "6000" })).ToArray();

        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(timing, programs);

        Assert.Equal(16, exits.Count);
        Assert.True(exits.All(e => e.Exit.Status == 0), output);
        Assert.Contains($"[CC0] collective: {collective} over 16 clusters, 6000 bytes each", output);
        Assert.Contains(", 0 bad", output);
    }

    [Fact]
    public void A_reader_whose_writer_is_gone_gets_ECONNRESET_instead_of_hanging()
    {
        // The pong side allows node 13 (CC5), where no process runs: no write will ever come.
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC1", ["portal", "pong", "13", "1", "100"]));

        Assert.Equal(1, exits.Single().Exit.Status);
        Assert.Contains("[CC1] pong: round 0 failed (-104)", output);
    }

    [Fact]
    public void A_read_whose_write_was_lost_on_the_wires_gets_EIO()
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(
            NocTimingMode.Hardware,
            noc => noc.InjectFault(TransferKind.Portal, SystemRig.Node("CC0"), SystemRig.Node("CC1")),
            ("CC0", ["portal", "ping", $"{SystemRig.Node("CC1")}", "1", "100"]),
            ("CC1", ["portal", "pong", $"{SystemRig.Node("CC0")}", "1", "100"]));

        Assert.Contains("[CC1] pong: round 0 failed (-5)", output);
        Assert.Equal(1, exits.Single(e => e.Cluster == "CC1").Exit.Status);
    }
}
