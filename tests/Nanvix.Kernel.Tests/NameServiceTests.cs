using Nanvix.Hal.Noc;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>The name service on IO0, driven by user/programs/named.c.</summary>
public sealed class NameServiceTests
{
    [Fact]
    public void Clients_find_a_server_by_name_after_it_links_it()
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(
            NocTimingMode.Hardware,
            ("CC3", ["named", "server", "echo-server", "2"]),
            ("CC0", ["named", "client", "echo-server"]),
            ("CC12", ["named", "client", "echo-server"]));

        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Contains("[CC0] client: echo-server is at node 11 port 5; it said: hello node 8, from echo-server", output);
        Assert.Contains("[CC12] client: echo-server is at node 11 port 5; it said: hello node 20, from echo-server", output);
        Assert.Contains("[CC3] server: echo-server answered 2 clients, unlink 0", output);
    }

    [Fact]
    public void A_name_can_be_linked_once_and_is_gone_after_unlink()
    {
        (_, string output, _) = SystemRig.Run(NocTimingMode.Nanvix, ("CC0", ["named", "twice", "alpha"]));

        Assert.Contains("twice: link 0, link again EEXIST, unlink 0, unlink again ENOENT", output);
    }

    [Theory]
    [InlineData("nobody", "lookup: nobody: ENOENT")]
    [InlineData("a-name-that-is-longer-than-thirty-nine-bytes", "ENAMETOOLONG")]
    [InlineData("", "EINVAL")]
    public void A_bad_or_unknown_name_is_a_clear_error(string name, string expected)
    {
        (IReadOnlyList<ClusterExit> exits, string output, _) = SystemRig.Run(NocTimingMode.Hardware, ("CC0", ["named", "lookup", name]));

        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Sixteen_clusters_asking_at_once_are_all_answered_in_turn()
    {
        var programs = Enumerable.Range(0, 16).Select(c => ($"CC{c}", new[] { "named", "lookup", $"missing-{c}" })).ToArray();

        (IReadOnlyList<ClusterExit> exits, string output, int served) = SystemRig.Run(NocTimingMode.Hardware, programs);

        Assert.Equal(16, exits.Count);
        Assert.Equal(16, served);
        for (int c = 0; c < 16; c++)
        {
            Assert.Contains($"[CC{c}] lookup: missing-{c}: ENOENT", output);
        }
    }

    [Fact]
    public void The_names_of_a_process_that_ended_are_gone()
    {
        (_, string output, _) = SystemRig.Run(
            NocTimingMode.Hardware,
            ("CC1", ["named", "linkexit", "short-lived"]),
            ("CC2", ["named", "late", "short-lived"]));

        Assert.Contains("[CC1] linkexit: link 0", output);
        Assert.Contains("[CC2] lookup: short-lived: ENOENT", output);
    }

    [Fact]
    public void Heartbeats_reach_the_name_service_for_names_the_process_linked()
    {
        (_, string output, _) = SystemRig.Run(NocTimingMode.Nanvix, ("CC4", ["named", "beat", "alive"]));

        Assert.Contains("[CC4] beat: link 0, heartbeats 0, unknown ENOENT", output);
    }
}
