using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Virtual mailboxes between clusters, driven by user/programs/pingpong.c.</summary>
public sealed class MailboxTests
{
    private static (IReadOnlyList<ClusterExit> Exits, string Output) Run(NocTimingMode timing, params (string Cluster, string[] Arguments)[] programs)
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(timing, programs);
        return (exits, output);
    }

    private static int Node(string cluster) => SystemRig.Node(cluster);

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Ping_pong_between_two_clusters_returns_every_byte(NocTimingMode timing)
    {
        (IReadOnlyList<ClusterExit> exits, string output) = Run(
            timing,
            ("CC0", ["pingpong", "ping", $"{Node("CC1")}", "10", "120"]),
            ("CC1", ["pingpong", "pong", $"{Node("CC0")}", "10", "120"]));

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains("[CC0] ping: node 8 <-> node 9, 10 round trips of 120 bytes ok", output);
        Assert.Contains("[CC1] pong: node 9 echoed 10 messages", output);
    }

    [Fact]
    public void A_round_trip_in_nanvix_mode_costs_about_two_mailbox_messages()
    {
        (_, string output) = Run(
            NocTimingMode.Nanvix,
            ("CC0", ["pingpong", "ping", $"{Node("CC1")}", "5", "120"]),
            ("CC1", ["pingpong", "pong", $"{Node("CC0")}", "5", "120"]));

        long nanoseconds = long.Parse(System.Text.RegularExpressions.Regex.Match(output, @"ok, (\d+) ns each").Groups[1].Value);
        double microseconds = nanoseconds / 1000.0;

        // Two one-way messages of 37.8k cycles at 400 MHz are 189 us; the kernel calls on both sides add a little.
        Assert.InRange(microseconds, 189.0, 200.0);
    }

    [Fact]
    public void Every_pair_of_compute_clusters_can_ping_pong()
    {
        // A round-robin tournament: 15 rounds of 8 disjoint pairs cover all 120 pairs of the 16 compute clusters.
        const int Clusters = 16;
        for (int round = 0; round < Clusters - 1; round++)
        {
            var programs = new List<(string, string[])>();
            int[] seats = [0, .. Enumerable.Range(0, Clusters - 1).Select(k => 1 + ((k + round) % (Clusters - 1)))];
            for (int i = 0; i < Clusters / 2; i++)
            {
                int a = seats[i];
                int b = seats[Clusters - 1 - i];
                programs.Add(($"CC{a}", ["pingpong", "ping", $"{Node($"CC{b}")}", "2", "64"]));
                programs.Add(($"CC{b}", ["pingpong", "pong", $"{Node($"CC{a}")}", "2", "64"]));
            }

            (IReadOnlyList<ClusterExit> exits, string output) = Run(NocTimingMode.Hardware, [.. programs]);

            Assert.Equal(Clusters, exits.Count);
            Assert.True(exits.All(e => e.Exit.Status == 0), output);
        }
    }

    [Fact]
    public void Two_readers_waiting_for_each_other_are_reported_as_a_deadlock()
    {
        (IReadOnlyList<ClusterExit> exits, _) = Run(
            NocTimingMode.Hardware,
            ("CC0", ["pingpong", "pong", $"{Node("CC1")}", "1", "8"]),
            ("CC1", ["pingpong", "pong", $"{Node("CC0")}", "1", "8"]));

        Assert.All(exits, e =>
        {
            Assert.Equal(137, e.Exit.Status);
            Assert.Contains("deadlock: thread 0 waits for a message on mailbox", e.Exit.Diagnostic);
        });
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Ping_pong_with_IO0_goes_through_its_echo_service(NocTimingMode timing)
    {
        // The echo service listens on IO0's second node (node 1) and sends every message back to its sender.
        (IReadOnlyList<ClusterExit> exits, string output) = Run(timing, ("CC5", ["pingpong", "ping", "1", "4", "100"]));

        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.Contains("[CC5] ping: node 13 <-> node 1, 4 round trips of 100 bytes ok", output);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void The_asynchronous_pair_posts_a_read_and_a_write_and_waits_for_both(NocTimingMode timing)
    {
        (IReadOnlyList<ClusterExit> exits, string output) = Run(
            timing,
            ("CC2", ["pingpong", "aping", $"{Node("CC6")}", "6", "64"]),
            ("CC6", ["pingpong", "pong", $"{Node("CC2")}", "6", "64"]));

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains("[CC2] ping: node 10 <-> node 14, 6 round trips of 64 bytes ok", output);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Messages_from_each_sender_arrive_once_and_in_order(NocTimingMode timing)
    {
        // 3 x 40 messages: more than one kernel page of queue (31 slots), so the input's queue has to grow.
        int receiver = Node("CC7");
        (IReadOnlyList<ClusterExit> exits, string output) = Run(
            timing,
            ("CC7", ["fifo", "receive", "3", "40"]),
            ("CC0", ["fifo", "send", $"{receiver}", "40"]),
            ("CC12", ["fifo", "send", $"{receiver}", "40"]),
            ("CC15", ["fifo", "send", $"{receiver}", "40"]));

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains("[CC7] fifo: received 120 messages from 3 senders, 0 out of order", output);
    }

    [Fact]
    public void Calls_on_closed_descriptors_fail_with_EBADF()
    {
        (IReadOnlyList<ClusterExit> exits, string output) = Run(NocTimingMode.Hardware, ("CC0", ["pingpong", "closed"]));

        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.Contains("closed: close 0, read -9, write -9, close again -9, never opened -9", output);
    }
}
