using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The cases issue 11 found with random moves of communicating programs, each replayed as the command line gave it
/// (`--migrate CYCLE:CLUSTER:PID`): the moved run prints exactly what the unmoved run prints and ends the same.
/// </summary>
public sealed class MigrationRegressionTests
{
    private static (string Output, int[] Statuses, IReadOnlyList<MigrationTicket> Tickets) Run(
        (string Cluster, string[] Arguments)[] programs, (ulong Cycle, string Cluster, int Pid)[] moves,
        ProcessLayoutKind layout = ProcessLayoutKind.UArea, NocTimingMode timing = NocTimingMode.Hardware, bool cache = false)
    {
        using var rig = new MigrationRig(layout, timing, cache);
        int[] pids = [.. programs.Select(p => rig.Spawn(p.Cluster, p.Arguments))];
        foreach ((ulong cycle, string cluster, int pid) in moves)
        {
            rig.Move(pid, cluster, cycle);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        return (MigrationRig.Lines(WithoutNodes(output)), [.. pids.Select(pid => exits.Single(e => e.Exit.Pid == pid).Exit.Status)], rig.System.Tickets);
    }

    private static readonly (string, string[])[] Fifo =
    [
        ("CC0", ["fifo", "receive", "2", "100"]),
        ("CC1", ["fifo", "send", "8", "100"]),
        ("CC2", ["fifo", "send", "8", "100"]),
    ];

    [Theory]
    [InlineData("CC4")]
    [InlineData("CC0")]
    public void A_receiver_moved_twice_in_quick_succession_gets_every_message_once_in_order(string second)
    {
        (string plain, int[] plainStatuses, _) = Run(Fifo, []);
        (string moved, int[] statuses, IReadOnlyList<MigrationTicket> tickets) = Run(Fifo, [(6605, "CC7", 1), (9617, second, 1)]);

        Assert.Contains("received 200 messages from 2 senders, 0 out of order", moved);
        Assert.Equal(plain, moved);
        Assert.Equal(plainStatuses, statuses);
        Assert.All(tickets, t => Assert.Equal(MigrationState.Done, t.State));
    }

    [Fact]
    public void A_receiver_moved_three_hops_while_its_senders_write_loses_nothing()
    {
        (string plain, _, _) = Run(Fifo, []);
        (string moved, int[] statuses, _) = Run(Fifo, [(6605, "CC7", 1), (9617, "CC4", 1), (12000, "CC0", 1)]);

        Assert.Equal(plain, moved);
        Assert.Equal([0, 0, 0], statuses);
    }

    /// <summary>Programs print the node they run on; a move changes it and nothing else.</summary>
    private static string WithoutNodes(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"node \d+", "node _");

    [Fact]
    public void Concurrent_moves_of_a_server_and_its_clients_with_the_cache_model_end_as_unmoved()
    {
        (string, string[])[] names =
        [
            ("CC3", ["named", "server", "echo-server", "3"]),
            ("CC0", ["named", "client", "echo-server"]),
            ("CC9", ["named", "client", "echo-server"]),
            ("CC15", ["named", "client", "echo-server"]),
        ];
        (ulong, string, int)[] moves = [(22189, "CC8", 1), (19231, "CC11", 2), (22285, "CC4", 2), (24372, "CC10", 1), (34336, "CC2", 1), (7656, "CC5", 2), (19848, "CC12", 2)];
        (string plain, int[] plainStatuses, _) = Run(names, [], cache: true);
        (string moved, int[] statuses, IReadOnlyList<MigrationTicket> tickets) = Run(names, moves, cache: true);

        Assert.Equal(plain, moved);
        Assert.Equal(plainStatuses, statuses);
        Assert.All(tickets, t => Assert.True(t.State is MigrationState.Done or MigrationState.Refused, t.ToString()));
        Assert.All(tickets.Where(t => t.State == MigrationState.Done), t => Assert.NotNull(t.Report));
    }
}
