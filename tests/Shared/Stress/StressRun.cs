using System.Text.RegularExpressions;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>
/// Runs a scenario the way <c>nanvix run --image</c> runs the image <see cref="StressScenario.Image"/> with its
/// <c>--migrate</c> list: the same argv (the image's program paths), the same spawn-service registrations, every move
/// asked for up front in cycle order and the whole processor run to completion, so that a reproducer replays the
/// same cycles. The only additions are the faults, armed through <see cref="FaultingNoc"/>.
/// </summary>
internal static class StressRun
{
    private static readonly Dictionary<string, byte[]> Images = [];
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, StressConfiguration), StressOutcome> Unmoved = new();

    /// <summary>The unmoved run of <paramref name="sample"/> in <paramref name="configuration"/> (run once, then remembered).</summary>
    public static StressOutcome Baseline(StressSample sample, StressConfiguration configuration) =>
        Unmoved.GetOrAdd((string.Join(" | ", sample.Programs.Select(p => p.ToString())), configuration), _ => Run(new StressScenario(sample, configuration, [])));

    /// <summary>Runs <paramref name="scenario"/> and judges it against its unmoved run.</summary>
    public static (StressOutcome Outcome, StressVerdict Verdict) Check(StressScenario scenario)
    {
        StressOutcome outcome = Run(scenario);
        return (outcome, StressVerdict.Judge(scenario, Baseline(scenario.Sample, scenario.Configuration), outcome));
    }

    public static StressOutcome Run(StressScenario scenario)
    {
        StressSample sample = scenario.Sample;
        StressConfiguration configuration = scenario.Configuration;
        using var processor = new FaultingProcessor(new Processor(Mppa256.Spec(), configuration.Timing));
        var console = new PidConsole();
        var pids = new List<int>();
        Multikernel? system = null;
        Exception? error = null;
        try
        {
            system = new Multikernel(processor, _ => console, configuration.Layout, configuration.Cache);
            processor.FaultingNoc.System = system;
            foreach (StressProgram program in sample.Programs)
            {
                byte[] bytes = Image(program.Name);
                ICluster cluster = processor.Cluster(program.Cluster);
                system.Spawner?.Register(program.Name, bytes);
                pids.Add(system.Spawn(cluster, ElfImage.Parse(bytes, Mppa256.UserBytes), [$"../bin/{program.Name}.elf", .. program.Arguments.Skip(1)]));
            }

            foreach (StressMove move in scenario.Moves.OrderBy(m => m.Cycle))
            {
                MigrationTicket ticket = system.RequestMigration(pids[move.Program], processor.Cluster($"CC{move.Cluster}"), move.Cycle, move.Mode);
                if (move.LostRegion >= 0)
                {
                    processor.FaultingNoc.Lose(ticket, move.LostRegion);
                }
            }

            system.RunToCompletion();
        }
        catch (Exception e)
        {
            error = e;
        }

        IReadOnlyList<ClusterExit> exits = system?.Exits ?? [];
        ClusterExit?[] ends = [.. pids.Select(pid => exits.FirstOrDefault(e => e.Exit.Pid == pid))];
        return new StressOutcome(
            [.. pids.Select(pid => console.Lines(pid).Select(WithoutPlaceAndTime).ToArray())],
            [.. ends.Select(e => e?.Exit.Status)],
            [.. ends.Select(e => e?.Exit.Diagnostic)],
            [.. (system?.Tickets ?? []).Select(StressTicket.Of)],
            error,
            system is null || !system.Kernels.Any() ? 0 : system.Kernels.Max(k => k.Statistics.Cycles),
            processor.FaultingNoc.Armed,
            processor.FaultingNoc.Inner.FaultsPending);
    }

    /// <summary>What a program prints of where and how fast it ran (its node, the time per round trip) changes with a move; the rest must not.</summary>
    public static string WithoutPlaceAndTime(string line) => Regex.Replace(line, @"node \d+|\d+ ns each(, \d+ KB/s)?", "_");

    private static byte[] Image(string name)
    {
        lock (Images)
        {
            if (!Images.TryGetValue(name, out byte[]? bytes))
            {
                Images[name] = bytes = RepositoryFiles.UserProgram(name);
            }

            return bytes;
        }
    }
}
