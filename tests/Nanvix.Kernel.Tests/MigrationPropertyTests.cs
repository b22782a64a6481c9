using System.Collections.Concurrent;
using CsCheck;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;
using Nanvix.Tests.Shared.Stress;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The property migration promises: programs moved at random times, any number of times, to random clusters, print
/// exactly what they print unmoved and end with the same statuses, under both layouts. Moves land on quantum
/// boundaries (every 10 000 instructions of a core), so a random cycle is a random instruction count at that grain.
/// </summary>
public sealed class MigrationPropertyTests
{
    /// <summary>The sample programs: single- and multi-threaded, with and without open mailboxes and portals.</summary>
    private static readonly (string Name, (string Cluster, string[] Arguments)[] Programs)[] Samples =
    [
        ("cpu", [("CC0", ["cpu", "2"])]),
        ("threads", [("CC0", ["threads", "mutex"])]),
        ("maxthreads", [("CC0", ["maxthreads", "40"])]),
        ("pages", [("CC0", ["pages", "8", "4"])]),
        ("stream", [("CC0", ["stream", "recv", "10", "40", "2"]), ("CC5", ["stream", "send", "0", "40"]), ("CC10", ["stream", "send", "1", "40"])]),
        ("pingpong", [("CC0", ["pingpong", "ping", "9", "60", "100"]), ("CC1", ["pingpong", "pong", "8", "60", "100"])]),
        ("portal", [("CC0", ["portal", "ping", "9", "30", "3000"]), ("CC1", ["portal", "pong", "8", "30", "3000"])]),
        ("aportal", [("CC0", ["portal", "aping", "9", "30", "3000"]), ("CC1", ["portal", "pong", "8", "30", "3000"])]),
    ];

    /// <summary>What a program prints of where and how fast it ran (its node, the time per round trip) changes with a move; the rest must not.</summary>
    private static string WithoutPlaceAndTime(string output) =>
        System.Text.RegularExpressions.Regex.Replace(output, @"node \d+|\d+ ns each(, \d+ KB/s)?", "_");

    private static readonly ConcurrentDictionary<(int, ProcessLayoutKind), (string Output, int[] Statuses, ulong Cycles)> Baselines = new();

    private static int _moved;

    /// <summary>
    /// The samples that name their peer by node number on the command line. A process of theirs that moves before it
    /// opened its mailbox or portal leaves nothing at its old node, so a peer that opens that node afterwards reaches
    /// nobody: these move only once the first 5 % of the run is over (the stream looks its peer up by name and moves
    /// at any time).
    /// </summary>
    private static readonly string[] ByNode = ["pingpong", "portal", "aportal"];

    private static (string Output, int[] Statuses, ulong Cycles) Run(int sample, ProcessLayoutKind layout, (double When, int Process, int Cluster, int Mode)[] moves, ulong cycles)
    {
        using var rig = new MigrationRig(layout);
        int[] pids = [.. Samples[sample].Programs.Select(p => rig.Spawn(p.Cluster, p.Arguments))];
        double earliest = ByNode.Contains(Samples[sample].Name) ? 0.05 : 0;
        foreach ((double when, int process, int cluster, int mode) in moves)
        {
            rig.System.RequestMigration(pids[process % pids.Length], rig.Processor.Cluster($"CC{cluster}"), (ulong)(Math.Max(earliest, when) * cycles), (MigrationMode)mode);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        Interlocked.Add(ref _moved, rig.System.Migrations.Count);
        Assert.All(rig.System.Tickets, t => Assert.True(t.State is MigrationState.Done or MigrationState.Refused, t.ToString()));
        Assert.All(rig.System.Tickets.Where(t => t.State == MigrationState.Refused), t => Assert.Matches("already runs|ended|does not connect a node to itself|is taken", t.Refusal));
        return (MigrationRig.Lines(WithoutPlaceAndTime(output)), [.. pids.Select(pid => exits.Single(e => e.Exit.Pid == pid).Exit.Status)], rig.System.Kernels.Max(k => k.Statistics.Cycles));
    }

    [Fact]
    public void Programs_moved_at_random_times_to_random_clusters_finish_as_if_never_moved()
    {
        int iterations = StressEnvironment.Iterations(100);
        Gen<(int, ProcessLayoutKind, (double, int, int, int)[])> scenarios = Gen.Select(
            Gen.Int[0, Samples.Length - 1],
            Gen.OneOf(ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered),
            Gen.Select(Gen.Double[0, 1], Gen.Int[0, 2], Gen.Int[0, 15], Gen.Int[0, 2]).Array[1, 4]);
        scenarios.Sample(
            (sample, layout, moves) =>
            {
                (string output, int[] statuses, ulong cycles) = Baselines.GetOrAdd((sample, layout), key => Run(key.Item1, key.Item2, [], 0));
                (string moved, int[] movedStatuses, _) = Run(sample, layout, moves, cycles);
                Assert.Equal(output, moved);
                Assert.Equal(statuses, movedStatuses);
            },
            // The seed CsCheck gave for a scenario that once failed (peers moving while portal notices crossed); fixed,
            // so that every run tries the same 100 scenarios (NANVIX_STRESS_SEED and NANVIX_STRESS_ITER try others).
            seed: StressEnvironment.Seed("aPuIGtR2j2l1"),
            iter: iterations,
            threads: 1);

        // Most moves land while the programs run (a few come after the end, or aim at the cluster already there).
        Assert.True(_moved > iterations, $"only {_moved} moves happened in {iterations} scenarios");
    }
}
