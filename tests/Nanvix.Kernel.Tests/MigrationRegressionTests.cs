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
        ProcessLayoutKind layout = ProcessLayoutKind.UArea, NocTimingMode timing = NocTimingMode.Hardware)
    {
        using var rig = new MigrationRig(layout, timing);
        int[] pids = [.. programs.Select(p => rig.Spawn(p.Cluster, p.Arguments))];
        foreach ((ulong cycle, string cluster, int pid) in moves)
        {
            rig.Move(pid, cluster, cycle);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        return (MigrationRig.Lines(output), [.. pids.Select(pid => exits.Single(e => e.Exit.Pid == pid).Exit.Status)], rig.System.Tickets);
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
}
