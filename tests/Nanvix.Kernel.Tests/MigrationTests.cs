using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Process migration: a process moved between clusters finishes as if it had not moved, or does not move and goes on.</summary>
public sealed class MigrationTests
{
    /// <summary>Runs one program on CC0; after each step count in <paramref name="moves"/>, asks to move it.</summary>
    private static (string Output, IReadOnlyList<ClusterExit> Exits, IReadOnlyList<MigrationTicket> Tickets) Run(
        ProcessLayoutKind layout, string[] arguments, params (int Step, string Cluster)[] moves)
    {
        using var rig = new MigrationRig(layout);
        int pid = rig.Spawn("CC0", arguments);
        int step = 0;
        foreach ((int at, string cluster) in moves)
        {
            step += rig.Step(at - step);
            rig.Move(pid, cluster);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        return (output, exits, rig.System.Tickets);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void A_moved_process_prints_what_it_would_have_printed_and_exits_the_same(ProcessLayoutKind layout)
    {
        (string plain, IReadOnlyList<ClusterExit> plainExits, _) = Run(layout, ["cpu", "3"]);
        (string moved, IReadOnlyList<ClusterExit> movedExits, IReadOnlyList<MigrationTicket> tickets) = Run(layout, ["cpu", "3"], (40, "CC1"), (90, "CC15"));

        Assert.Equal(plain, moved);
        Assert.Equal(plainExits.Single().Exit.Status, movedExits.Single().Exit.Status);
        Assert.Equal("CC15", movedExits.Single().Cluster);
        Assert.All(tickets, t => Assert.Equal(MigrationState.Done, t.State));
        Assert.All(tickets, t => Assert.True(
            t.Report!.SectionBytes > 0 && t.Report.StackBytes > 0 && t.Report.DowntimeCycles > t.Report.TransferCycles && t.Report.TransferCycles > 0));
    }

    [Fact]
    public void A_multithreaded_process_moves_with_its_threads_and_locks()
    {
        (string plain, _, _) = Run(ProcessLayoutKind.UArea, ["threads", "mutex"]);
        (string moved, IReadOnlyList<ClusterExit> exits, IReadOnlyList<MigrationTicket> tickets) = Run(ProcessLayoutKind.UArea, ["threads", "mutex"], (30, "CC4"));

        Assert.Equal(plain, moved);
        Assert.Contains("mutex ok", moved);
        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.Equal(MigrationState.Done, tickets.Single().State);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void Processes_talking_by_mailbox_move_with_their_mailboxes_and_lose_no_message(ProcessLayoutKind layout)
    {
        (string moved, IReadOnlyList<ClusterExit> exits) = PingPong(layout, (100, 0, "CC2"), (400, 1, "CC3"), (700, 0, "CC0"), (1000, 1, "CC4"));

        // Every byte of every round came back (ping checks them), and pong echoed every message, once.
        Assert.Contains("400 round trips of 8 bytes ok", moved);
        Assert.Contains("echoed 400 messages", moved);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Equal(["CC0", "CC4"], exits.Select(e => e.Cluster).Order());
    }

    private static (string, IReadOnlyList<ClusterExit>) PingPong(ProcessLayoutKind layout, params (int Step, int Which, string Cluster)[] moves)
    {
        using var rig = new MigrationRig(layout);
        int[] pids = [rig.Spawn("CC0", "pingpong", "ping", "9", "400", "8"), rig.Spawn("CC1", "pingpong", "pong", "8", "400", "8")];
        int step = 0;
        foreach ((int at, int which, string cluster) in moves)
        {
            step += rig.Step(at - step);
            rig.Move(pids[which], cluster);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        Assert.All(rig.System.Tickets, t => Assert.True(t.State == MigrationState.Done, t + "\n" + output));
        return (output, exits);
    }

    [Theory]
    [InlineData("ping", ProcessLayoutKind.UArea)]
    [InlineData("aping", ProcessLayoutKind.Scattered)]
    public void Processes_talking_by_portal_move_with_their_portals_and_every_transfer_checks_out(string ping, ProcessLayoutKind layout)
    {
        using var rig = new MigrationRig(layout);
        int[] pids = [rig.Spawn("CC0", "portal", ping, "9", "60", "4096"), rig.Spawn("CC1", "portal", "pong", "8", "60", "4096")];
        (int Step, int Which, string Cluster)[] moves = [(60, 1, "CC2"), (200, 0, "CC3"), (400, 1, "CC4"), (600, 0, "CC0")];
        int step = 0;
        foreach ((int at, int which, string cluster) in moves)
        {
            step += rig.Step(at - step);
            rig.Move(pids[which], cluster);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        // The ping side checks every byte of every round trip; pong echoed every write, once.
        Assert.All(rig.System.Tickets, t => Assert.True(t.State == MigrationState.Done, t + "\n" + output));
        Assert.Contains("4096 bytes, 60 round trips ok", output);
        Assert.Contains("echoed 60 writes of 4096 bytes", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        Assert.Equal("CC0", exits.Single(e => e.Exit.Pid == pids[0]).Cluster);
        Assert.Equal("CC4", exits.Single(e => e.Exit.Pid == pids[1]).Cluster);
    }

    [Fact]
    public void A_full_target_refuses_the_process_which_goes_on_where_it_was()
    {
        (string plain, _, _) = Run(ProcessLayoutKind.UArea, ["cpu", "2"]);
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "cpu", "2");
        for (int i = 0; i < KernelConstants.MaxProcesses; i++)
        {
            rig.Spawn("CC1", "cpu", "1");
        }

        rig.Step(10);
        MigrationTicket ticket = rig.Move(pid, "CC1");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Refused, ticket.State);
        Assert.Contains("process slots", ticket.Refusal);
        Assert.Equal("CC0", exits.Single(e => e.Exit.Pid == pid).Cluster);
        Assert.Contains(plain.Trim(), output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_region_lost_on_the_NoC_leaves_the_process_running_on_the_source_and_a_later_move_works(int lostRegion)
    {
        (string plain, _, _) = Run(ProcessLayoutKind.UArea, ["cpu", "3"]);
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "cpu", "3");
        rig.Step(30);
        int source = rig.Processor.Cluster("CC0").NocNodes[0];
        int target = rig.Processor.Cluster("CC5").NocNodes[0];
        rig.Processor.Noc.InjectFault(TransferKind.Portal, source, target, lostRegion);
        MigrationTicket failed = rig.Move(pid, "CC5");
        rig.Step(60);
        MigrationTicket later = rig.Move(pid, "CC5");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Refused, failed.State);
        Assert.Contains("lost on the NoC", failed.Refusal);
        Assert.Equal(MigrationState.Done, later.State);
        Assert.Equal(plain, output);
        Assert.Equal("CC5", exits.Single().Cluster);
        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.Single(rig.System.Migrations);
    }

    [Fact]
    public void A_move_asked_for_a_process_that_ended_is_refused_and_says_so()
    {
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "hello");
        rig.Finish();

        MigrationTicket ticket = rig.Move(pid, "CC1");

        Assert.Equal(MigrationState.Refused, ticket.State);
        Assert.Contains("ended", ticket.Refusal);
    }

    [Fact]
    public void A_process_that_faults_before_its_move_dies_alone_and_the_move_is_refused()
    {
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "fault", "null");
        int other = rig.Spawn("CC0", "cpu", "1");
        MigrationTicket ticket = rig.System.RequestMigration(pid, rig.Processor.Cluster("CC1"), notBefore: 1_000_000);
        (_, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Refused, ticket.State);
        Assert.Contains("ended", ticket.Refusal);
        Assert.NotEqual(0, exits.Single(e => e.Exit.Pid == pid).Exit.Status);
        Assert.Equal(0, exits.Single(e => e.Exit.Pid == other).Exit.Status);
    }

    [Fact]
    public void The_name_service_learns_where_a_named_process_moved_and_its_senders_reach_it()
    {
        using var rig = new MigrationRig();
        int receiver = rig.Spawn("CC0", "stream", "recv", "10", "60", "2");
        rig.Spawn("CC5", "stream", "send", "0", "60");
        rig.Spawn("CC10", "stream", "send", "1", "60");
        int node = rig.Processor.Cluster("CC3").NocNodes[0];
        while (rig.System.Names!.NodeOfName("stream") < 0 && rig.System.Step())
        {
        }

        Assert.Equal(rig.Processor.Cluster("CC0").NocNodes[0], rig.System.Names.NodeOfName("stream"));
        MigrationTicket ticket = rig.Move(receiver, "CC3");
        while (rig.System.Names.NodeOfName("stream") != node && rig.System.Step())
        {
        }

        // The target tells the name service when it restores the process, as it answers the source (the report is the
        // source's, written when that answer arrives).
        Assert.True(ticket.State is MigrationState.Moving or MigrationState.Done, ticket.ToString());
        Assert.Equal(node, rig.System.Names.NodeOfName("stream"));
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        Assert.Equal(MigrationState.Done, ticket.State);
        Assert.Contains("stream: in order", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }

    [Fact]
    public void A_process_does_not_move_onto_a_port_another_moved_process_still_forwards_from()
    {
        // ping leaves CC0 with its input on port 7; pong (also port 7) may not settle on CC0 while ping lives: its
        // replies, addressed to CC0's port 7, would reach itself instead of being sent on to ping.
        using var rig = new MigrationRig();
        int[] pids = [rig.Spawn("CC0", "pingpong", "ping", "9", "200", "8"), rig.Spawn("CC1", "pingpong", "pong", "8", "200", "8")];
        rig.Step(100);
        MigrationTicket away = rig.Move(pids[0], "CC2");
        rig.Step(400);
        MigrationTicket onto = rig.Move(pids[1], "CC0");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Done, away.State);
        Assert.Equal(MigrationState.Refused, onto.State);
        Assert.Contains("port 7 of node 8 is taken", onto.Refusal);
        Assert.Contains("200 round trips of 8 bytes ok", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }

    [Fact]
    public void A_process_does_not_move_onto_the_node_of_its_portal_peer()
    {
        using var rig = new MigrationRig();
        int[] pids = [rig.Spawn("CC0", "portal", "ping", "9", "40", "1000"), rig.Spawn("CC1", "portal", "pong", "8", "40", "1000")];
        rig.Step(100);
        MigrationTicket ticket = rig.Move(pids[0], "CC1");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Refused, ticket.State);
        Assert.Contains("a portal does not connect a node to itself", ticket.Refusal);
        Assert.Contains("40 round trips ok", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }
}
