using System.Collections.Concurrent;
using CsCheck;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The property migration promises: programs moved at random times, any number of times, to random clusters, print
/// exactly what they print unmoved and end with the same statuses, under both layouts. Moves land on quantum
/// boundaries (every 10 000 instructions of a core), so a random cycle is a random instruction count at that grain.
/// </summary>
public sealed class MigrationPropertyTests
{
    /// <summary>The sample programs: single- and multi-threaded, with and without open mailboxes.</summary>
    private static readonly (string Name, (string Cluster, string[] Arguments)[] Programs)[] Samples =
    [
        ("cpu", [("CC0", ["cpu", "2"])]),
        ("threads", [("CC0", ["threads", "mutex"])]),
        ("maxthreads", [("CC0", ["maxthreads", "40"])]),
        ("pages", [("CC0", ["pages", "8", "4"])]),
        ("stream", [("CC0", ["stream", "recv", "10", "40", "2"]), ("CC5", ["stream", "send", "0", "40"]), ("CC10", ["stream", "send", "1", "40"])]),
    ];

    private static readonly ConcurrentDictionary<(int, ProcessLayoutKind), (string Output, int[] Statuses, ulong Cycles)> Baselines = new();

    private static int _moved;

    private static (string Output, int[] Statuses, ulong Cycles) Run(int sample, ProcessLayoutKind layout, (double When, int Process, int Cluster)[] moves, ulong cycles)
    {
        using var rig = new MigrationRig(layout);
        int[] pids = [.. Samples[sample].Programs.Select(p => rig.Spawn(p.Cluster, p.Arguments))];
        foreach ((double when, int process, int cluster) in moves)
        {
            rig.Move(pids[process % pids.Length], $"CC{cluster}", (ulong)(when * cycles));
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        Interlocked.Add(ref _moved, rig.System.Migrations.Count);
        Assert.All(rig.System.Tickets, t => Assert.True(t.State is MigrationState.Done or MigrationState.Refused, t.ToString()));
        Assert.All(rig.System.Tickets.Where(t => t.State == MigrationState.Refused), t => Assert.Matches("already runs|ended", t.Refusal));
        return (MigrationRig.Lines(output), [.. pids.Select(pid => exits.Single(e => e.Exit.Pid == pid).Exit.Status)], rig.System.Kernels.Max(k => k.Statistics.Cycles));
    }

    [Fact]
    public void Programs_moved_at_random_times_to_random_clusters_finish_as_if_never_moved()
    {
        Gen<(int, ProcessLayoutKind, (double, int, int)[])> scenarios = Gen.Select(
            Gen.Int[0, Samples.Length - 1],
            Gen.OneOf(ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered),
            Gen.Select(Gen.Double[0, 1], Gen.Int[0, 2], Gen.Int[0, 15]).Array[1, 4]);
        scenarios.Sample(
            (sample, layout, moves) =>
            {
                (string output, int[] statuses, ulong cycles) = Baselines.GetOrAdd((sample, layout), key => Run(key.Item1, key.Item2, [], 0));
                (string moved, int[] movedStatuses, _) = Run(sample, layout, moves, cycles);
                Assert.Equal(output, moved);
                Assert.Equal(statuses, movedStatuses);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 40);

        // Most moves land while the programs run (a few come after the end, or aim at the cluster already there).
        Assert.True(_moved > 40, $"only {_moved} moves happened in 40 scenarios");
    }
}
