using System.Globalization;
using CsCheck;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Tests.Shared.Stress;
using Xunit.Abstractions;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// Issue 11's promise under any sequence of moves: communicating programs (mailbox and portal ping-pongs, blocking
/// and asynchronous, a 3-sender FIFO, the stream, sync-point barriers, a mix with CPU-bound and threaded programs),
/// each moved 1 to 12 times to any compute cluster (home, onto a node another just left, onto a peer's), in all eight
/// configurations, with regions of moves lost on the NoC, print per program exactly what they print unmoved, end with
/// the same statuses, and every move ends done or refused for a reason a move may be refused for. The scenarios are
/// shared with the soak (<c>bench/Nanvix.Figures soak</c>): tests/Shared/Stress.
/// </summary>
public sealed class MigrationStressTests(ITestOutputHelper log)
{
    /// <summary>Scenarios per run (NANVIX_STRESS_ITER overrides), chosen to keep the test near 30 s on two cores.</summary>
    private const int Iterations = 60;

    /// <summary>The CsCheck seed every run starts from (NANVIX_STRESS_SEED overrides; "random" for a new one each run).</summary>
    private const string Seed = "0N0XIzNsQ0O2";

    [Fact]
    public void Every_sample_runs_unmoved_in_every_configuration_and_passes_its_own_checks()
    {
        foreach (StressSample sample in StressSample.All)
        {
            foreach (StressConfiguration configuration in StressConfiguration.All)
            {
                StressOutcome unmoved = StressRun.Baseline(sample, configuration);
                string what = $"{sample.Name} {configuration}";
                Assert.True(unmoved.HostError is null, $"{what}: {unmoved.HostError}");
                Assert.All(unmoved.Statuses, s => Assert.True(s == 0, $"{what}: statuses {string.Join(", ", unmoved.Statuses)}\n{Dump(unmoved)}"));
                Assert.All(unmoved.Lines, lines => Assert.NotEmpty(lines));
                Assert.DoesNotContain(unmoved.Lines.SelectMany(l => l), l => l.Contains("FAIL", StringComparison.Ordinal) || l.Contains("failed", StringComparison.Ordinal));
            }
        }

        Assert.Contains("fifo: received 120 messages from 3 senders, 0 out of order", StressRun.Baseline(StressSample.Named("fifo"), StressConfiguration.All[0]).Lines[0]);
        Assert.Contains("stream: in order", StressRun.Baseline(StressSample.Named("stream"), StressConfiguration.All[0]).Lines[0]);
    }

    [Fact]
    public void A_scenario_without_moves_or_with_moves_after_the_end_passes_the_judge()
    {
        StressSample sample = StressSample.Named("fifo");
        StressConfiguration configuration = StressConfiguration.All[0];
        ulong end = StressRun.Baseline(sample, configuration).Cycles;

        (_, StressVerdict none) = StressRun.Check(new StressScenario(sample, configuration, []));
        (StressOutcome late, StressVerdict after) = StressRun.Check(new StressScenario(sample, configuration, [new(end + 1_000_000, 0, 5, LostRegion: 1)]));

        Assert.True(none.Passed, string.Join('\n', none.Problems));
        Assert.True(after.Passed, string.Join('\n', after.Problems));
        Assert.Contains("ended", late.Tickets.Single().Refusal);
        Assert.Equal(0, late.FaultsArmed);
    }

    [Fact]
    public void A_lost_region_refuses_the_move_and_changes_nothing_else()
    {
        // cpu alone on CC2 of the mix moves once, its sections lost on the way: the move is refused, the run is the unmoved one.
        StressSample sample = StressSample.Named("mix");
        StressConfiguration configuration = StressConfiguration.All[0];
        ulong cycles = StressRun.Baseline(sample, configuration).Cycles;

        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(new StressScenario(sample, configuration, [new(cycles / 4, 2, 9, LostRegion: 1)]));

        Assert.True(verdict.Passed, string.Join('\n', verdict.Problems));
        Assert.True(outcome.Tickets.Single().Refusal?.Contains("lost on the NoC", StringComparison.Ordinal), Dump(outcome));
        Assert.Equal(1, outcome.FaultsArmed);
        Assert.Equal(0, outcome.FaultsLeft);
    }

    [Theory]
    [InlineData(FaultingNoc.Manifest)]
    [InlineData(FaultingNoc.Answer)]
    [InlineData(FaultingNoc.Evicted)]
    public void A_lost_manifest_answer_or_eviction_costs_a_wait_and_the_move_still_happens(int lost)
    {
        // cpu alone on CC2 of the mix moves once; its manifest, the target's Done or the source's Evicted is lost on the
        // NoC. The source hears nothing for the timeout and sends the manifest again (the target takes it as new, or
        // answers again), or the target hears no Evicted and sends Done again (the source answers Evicted again).
        StressSample sample = StressSample.Named("mix");
        StressConfiguration configuration = StressConfiguration.All[0];
        ulong cycles = StressRun.Baseline(sample, configuration).Cycles;

        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(new StressScenario(sample, configuration, [new(cycles / 4, 2, 9, LostRegion: lost)]));

        Assert.True(verdict.Passed, string.Join('\n', verdict.Problems));
        StressTicket ticket = outcome.Tickets.Single();
        Assert.Equal(MigrationState.Done, ticket.State);
        Assert.Equal(1, outcome.FaultsArmed);
        Assert.Equal(0, outcome.FaultsLeft);
        if (lost == FaultingNoc.Manifest)
        {
            // The process stayed frozen on the source while it waited: the wait is downtime.
            Assert.True(ticket.DowntimeCycles > MigrationDaemon.AnswerTimeoutCycles, Dump(outcome));
        }
        else
        {
            // It ran on the target meanwhile: the downtime is the target's figure, as if nothing was lost.
            Assert.True(ticket.DowntimeCycles < MigrationDaemon.AnswerTimeoutCycles, Dump(outcome));
        }
    }

    [Fact]
    public void A_sender_that_finds_a_moved_receiver_on_its_new_node_is_stamped_there_from_the_receivers_count()
    {
        // Found by the random test: sender 0 of the stream, frozen at its start while its manifest was lost, looked the
        // receiver up only once the receiver had moved to CC15 and sent there directly; CC15 stamped those messages
        // from the source node's count instead of from where the input expects CC15's stamps, so one waited forever.
        StressSample sample = StressSample.Named("stream");
        var configuration = new StressConfiguration(ProcessLayoutKind.UArea, NocTimingMode.Hardware, false);

        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(new StressScenario(sample, configuration, [new(0, 1, 13, LostRegion: FaultingNoc.Manifest), new(333287, 0, 15)]));

        Assert.True(verdict.Passed, string.Join('\n', verdict.Problems));
        Assert.All(outcome.Tickets, t => Assert.Equal(MigrationState.Done, t.State));
    }

    [Fact]
    public void Communicating_programs_moved_at_random_finish_as_if_never_moved()
    {
        int iterations = StressEnvironment.Iterations(Iterations);
        string? seed = StressEnvironment.Seed(Seed);
        Gen<StressMoveChoice> choice = Gen.Select(
            Gen.Double[0, 1], Gen.Int[0, 3], Gen.Int[0, 15], Gen.Int[0, 3], Gen.Int[0, 15], Gen.Int[-8, 5],
            (when, soon, program, aim, cluster, lost) => new StressMoveChoice(when, soon == 0, program, (StressAim)aim, cluster, lost));
        Gen<(int, int, StressMoveChoice[])> scenarios = Gen.Select(Gen.Int[0, StressSample.All.Length - 1], Gen.Int[0, StressConfiguration.All.Length - 1], choice.Array[1, 12]);
        scenarios.Sample(
            (sample, configuration, choices) =>
            {
                StressSample s = StressSample.All[sample];
                StressConfiguration c = StressConfiguration.All[configuration];
                StressScenario scenario = StressScenario.Plan(s, c, StressRun.Baseline(s, c).Cycles, choices);
                (_, StressVerdict verdict) = StressRun.Check(scenario);
                Assert.True(verdict.Passed, $"{verdict.Signature}\n{string.Join('\n', verdict.Problems)}\nreproducer:\n{scenario.Reproducer()}");
            },
            seed: seed,
            iter: iterations,
            threads: 1);
    }

    // The cases issue 11 found ("What was found"), each with its image and --migrate list; the moved run must give the
    // unmoved run's output and statuses.

    [Fact]
    public void Fifo_receiver_moved_twice_soon_after_another_loses_no_message() =>
        AssertAsUnmoved(Fifo(), Default, (6605, 7, 1), (9617, 4, 1));

    [Fact]
    public void Fifo_receiver_moved_away_and_back_home_loses_no_message() =>
        AssertAsUnmoved(Fifo(), Default, (6605, 7, 1), (9617, 0, 1));

    [Fact]
    public void Async_portal_ping_never_reports_round_trips_that_did_not_happen_when_it_moves_onto_its_peers_old_node() =>
        AssertAsUnmoved(
            Pair("portal", "aping", 9000),
            new StressConfiguration(ProcessLayoutKind.Scattered, NocTimingMode.Hardware, false),
            (1747806, 1, 1), (1153364, 9, 1), (511381, 10, 1), (1429211, 9, 2), (1482820, 12, 1));

    [Fact]
    public void A_reader_frozen_with_its_read_armed_is_not_given_the_hardware_again_while_its_portals_are_taken_out() =>
        // Found by the random test once moves waited for Evicted: pong is frozen on CC3 with its read armed; taking the read
        // back gave the hardware to the next parked reader, pong's own thread, so ping's write landed in the frozen process
        // and pong, restarted on CC1, waited for it forever.
        AssertAsUnmoved(
            Pair("portal", "ping", 3000),
            new StressConfiguration(ProcessLayoutKind.UArea, NocTimingMode.Nanvix, true),
            (79971, 3, 2), (79971, 1, 2), (79971, 3, 2));

    [Fact]
    public void Portal_pair_moved_nine_times_does_not_deadlock() =>
        AssertAsUnmoved(
            Pair("portal", "ping", 5000),
            new StressConfiguration(ProcessLayoutKind.UArea, NocTimingMode.Nanvix, false),
            (134235, 5, 2), (5000, 9, 1), (1130196, 3, 1), (563697, 8, 1), (175223, 3, 2), (90825, 11, 1), (435198, 10, 1), (414405, 12, 1), (1480302, 9, 1));

    [Fact]
    public void Name_service_clients_and_server_moved_at_once_with_the_cache_model_crash_nothing() =>
        AssertAsUnmoved(
            new StressSample("names", [
                new("CC3", ["named", "server", "echo-server", "3"]), new("CC0", ["named", "client", "echo-server"]),
                new("CC9", ["named", "client", "echo-server"]), new("CC15", ["named", "client", "echo-server"])], 0),
            new StressConfiguration(ProcessLayoutKind.UArea, NocTimingMode.Hardware, true),
            (22189, 8, 1), (19231, 11, 2), (22285, 4, 2), (24372, 10, 1), (34336, 2, 1), (7656, 5, 2), (19848, 12, 2));

    [Fact]
    public void Migrate_after_a_failed_portal_write_moves_or_is_busy_and_the_process_goes_on() =>
        AssertMovesItself(["ikcmove", "failedwrite", "19", "3", "20"], "ikcmove: failedwrite: open ok, write -104");

    [Fact]
    public void Migrate_with_a_portal_read_posted_that_no_one_answers_moves_or_is_busy_and_is_not_killed() =>
        AssertMovesItself(["ikcmove", "aread", "12", "11"], "ikcmove: aread: create ok, allow 0, aread 0");

    [Fact]
    public void Migrate_with_a_mailbox_read_posted_that_no_one_answers_moves_or_is_busy_and_is_not_killed() =>
        AssertMovesItself(["ikcmove", "maread", "11"], "ikcmove: maread: create ok, aread 0");

    // Found by the soak (bench/Nanvix.Figures soak), each shrunk to the fewest moves that still fail the same way, as
    // the scenario line `soak --replay` takes (CYCLE:CLUSTER:PID[:precopy|:postcopy], /REGION for a region lost on the NoC).

    [Fact]
    public void Fifo_receiver_moved_once_early_while_three_senders_send_loses_no_message() =>
        AssertReplaysAsUnmoved("fifo uarea hardware off 6352:CC13:1");

    [Theory]
    [InlineData("barrier uarea hardware off 15000:CC5:1 20000:CC7:2 30000:CC0:1")]
    [InlineData("barrier scattered nanvix on 100000:CC9:1 200000:CC0:1 250000:CC12:3 400000:CC2:3")]
    [InlineData("barrier uarea hardware on 12000:CC3:2 14000:CC4:3 16000:CC5:1 30000:CC1:2")]
    public void A_barrier_whose_members_move_away_and_back_home_completes_every_round(string line) =>
        AssertReplaysAsUnmoved(line);

    [Fact]
    public void A_receiver_moved_three_times_in_quick_succession_loses_nothing_when_its_new_mailbox_fills_up() =>
        AssertReplaysAsUnmoved("fifo scattered hardware on 4348:CC3:1 12951:CC0:1 13314:CC8:1");

    [Fact]
    public void Portal_ends_moving_onto_each_others_old_nodes_at_about_the_same_time_do_not_end_on_one_node() =>
        AssertReplaysAsUnmoved("aportal uarea hardware off 566934:CC2:2 577483:CC1:1 591295:CC1:2");

    [Fact]
    public void A_portal_end_that_moved_while_its_peer_moved_still_follows_the_peer() =>
        AssertReplaysAsUnmoved("aportal scattered nanvix off 193927:CC11:1 209261:CC15:2 672990:CC15:1 919370:CC0:1");

    [Fact]
    public void Portal_ping_moved_onto_the_node_its_peer_left_still_reaches_the_peer() =>
        AssertReplaysAsUnmoved("portal uarea nanvix off 359181:CC4:2 529811:CC11:2 1113317:CC1:2 1384739:CC11:1 1497094:CC11:2 1504921:CC1:1");

    [Fact]
    public void A_portal_move_that_lost_a_region_leaves_the_pair_pointing_at_each_other() =>
        AssertReplaysAsUnmoved("portal scattered nanvix off 376438:CC10:2/0 419527:CC14:2 444020:CC14:1 450306:CC15:1");

    [Fact]
    public void A_pre_copy_move_whose_rounds_end_ahead_of_its_cluster_does_not_take_its_wait_to_settle_for_endless() =>
        // The rounds ended at the cycle their last scan was done, ahead of the quantum boundary that tried the freeze
        // next: the wait to settle, counted back from there, came out below zero, as a huge unsigned number (refused
        // "inside a NoC operation for longer than 20000000 cycles" in a run of 200 000 cycles).
        AssertReplaysAsUnmoved("apingpong uarea hardware on 13225:CC0:2:postcopy 71877:CC3:1:postcopy 88572:CC0:1:postcopy 118764:CC2:2:postcopy 119154:CC9:1:precopy 120756:CC2:1:precopy 121653:CC1:2:precopy");

    private void AssertReplaysAsUnmoved(string line)
    {
        StressScenario scenario = StressScenario.Parse(line);
        StressOutcome unmoved = StressRun.Baseline(scenario.Sample, scenario.Configuration);
        Assert.True(unmoved.HostError is null && unmoved.Statuses.All(s => s == 0), $"the unmoved run fails:\n{Dump(unmoved)}");
        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(scenario);
        log.WriteLine(Dump(outcome));
        Assert.True(verdict.Passed, $"{verdict.Signature}\n{string.Join('\n', verdict.Problems)}\nreproducer:\n{scenario.Reproducer()}");
    }

    private static readonly StressConfiguration Default = StressConfiguration.All[0];

    private static StressSample Fifo() =>
        new("fifo", [new("CC0", ["fifo", "receive", "2", "100"]), new("CC1", ["fifo", "send", "8", "100"]), new("CC2", ["fifo", "send", "8", "100"])], 0);

    private static StressSample Pair(string program, string ping, int size) =>
        new(program, [new("CC0", [program, ping, "9", "20", $"{size}"]), new("CC1", [program, "pong", "8", "20", $"{size}"])], 0);

    /// <summary>Moves given as --migrate CYCLE:CLUSTER:PID would give them.</summary>
    private void AssertAsUnmoved(StressSample sample, StressConfiguration configuration, params (ulong Cycle, int Cluster, int Pid)[] moves)
    {
        var scenario = new StressScenario(sample, configuration, [.. moves.Select(m => new StressMove(m.Cycle, m.Pid - 1, m.Cluster)).OrderBy(m => m.Cycle)]);
        StressOutcome unmoved = StressRun.Baseline(sample, configuration);
        Assert.True(unmoved.HostError is null && unmoved.Statuses.All(s => s == 0), $"the unmoved run fails:\n{Dump(unmoved)}");
        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(scenario);
        log.WriteLine(Dump(outcome));
        Assert.True(verdict.Passed, $"{verdict.Signature}\n{string.Join('\n', verdict.Problems)}\nreproducer:\n{scenario.Reproducer()}");
    }

    /// <summary>A process that calls migrate() itself: no host exception, not killed, status 0, migrate() gave 0 or EBUSY.</summary>
    private void AssertMovesItself(string[] arguments, string first)
    {
        var scenario = new StressScenario(new StressSample(arguments[1], [new("CC0", arguments)], 0), Default, []);
        StressOutcome outcome = StressRun.Run(scenario);
        log.WriteLine(Dump(outcome));
        Assert.True(outcome.HostError is null, $"host exception: {outcome.HostError}");
        Assert.True(outcome.Statuses[0] == 0, $"status {outcome.Statuses[0]}: {outcome.Diagnostics[0]}\n{Dump(outcome)}");
        Assert.Equal([first, $"ikcmove: {arguments[1]}: migrate moved|busy", $"ikcmove: {arguments[1]} done"], outcome.Lines[0].Select(l => l.Replace("migrate moved", "migrate moved|busy").Replace("migrate busy", "migrate moved|busy")));
    }

    private static string Dump(StressOutcome outcome) =>
        string.Join('\n', outcome.Lines.Select((lines, i) => $"program {i + 1}: status {outcome.Statuses[i]} {outcome.Diagnostics[i]}\n    {string.Join("\n    ", lines)}"))
        + "\n" + string.Join('\n', outcome.Tickets.Select(t => $"move of {t.Pid} to {t.Target}: {t.State} {t.Refusal}"));
}
