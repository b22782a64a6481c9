using System.Diagnostics;
using Nanvix.Kernel.Migration;
using Nanvix.Tests.Shared.Stress;

namespace Nanvix.Figures;

/// <summary>
/// <c>soak --moves N --seed S</c>: random scenarios of the migration stress test (tests/Shared/Stress) until at least
/// N moves were asked; a progress line on stderr now and then; for each new kind of failure the smallest reproducer
/// found (fewer moves, no faults) on stdout; then one summary line. Non-zero exit when a run differed.
/// </summary>
internal static class MigrationSoak
{
    /// <summary>Runs spent at most on shrinking one failure.</summary>
    private const int ShrinkBudget = 40;

    public static int Run(TextWriter output, TextWriter progress, int moves, int seed, string? only)
    {
        var random = new Random(seed);
        StressSample[] samples = only is null ? StressSample.All : [StressSample.Named(only)];
        var signatures = new Dictionary<string, int>();
        var refusals = new Dictionary<string, int>();
        long asked = 0, done = 0, precopied = 0, postcopied = 0, refused = 0, lost = 0, duplicated = 0, differing = 0, runs = 0;
        var watch = Stopwatch.StartNew();
        TimeSpan nextProgress = TimeSpan.FromSeconds(10);
        while (asked < moves)
        {
            StressSample sample = samples[random.Next(samples.Length)];
            StressConfiguration configuration = StressConfiguration.All[random.Next(StressConfiguration.All.Length)];
            StressMoveChoice[] choices = [.. Enumerable.Range(0, random.Next(1, 13)).Select(_ => StressMoveChoice.Random(random))];
            StressScenario scenario = StressScenario.Plan(sample, configuration, StressRun.Baseline(sample, configuration).Cycles, choices);
            (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(scenario);
            runs++;
            asked += scenario.Moves.Length;
            done += outcome.Tickets.Count(t => !t.ByProcess && t.State == MigrationState.Done);
            precopied += outcome.Tickets.Count(t => !t.ByProcess && t.State == MigrationState.Done && t.Mode == MigrationMode.Precopy);
            postcopied += outcome.Tickets.Count(t => !t.ByProcess && t.State == MigrationState.Done && t.Mode == MigrationMode.Postcopy);
            refused += outcome.Tickets.Count(t => !t.ByProcess && t.State == MigrationState.Refused);
            foreach (StressTicket ticket in outcome.Tickets.Where(t => t.State == MigrationState.Refused))
            {
                string reason = StressVerdict.Numberless(ticket.Refusal ?? "");
                refusals[reason] = refusals.GetValueOrDefault(reason) + 1;
            }

            lost += verdict.Lost;
            duplicated += verdict.Duplicated;
            if (!verdict.Passed)
            {
                differing++;
                string signature = verdict.Signature!;
                signatures[signature] = signatures.GetValueOrDefault(signature) + 1;
                if (signatures[signature] == 1)
                {
                    StressScenario smallest = Shrink(scenario, signature);
                    (_, StressVerdict small) = StressRun.Check(smallest);
                    output.WriteLine($"== failure {signatures.Count}: {signature}");
                    output.WriteLine($"first seen in run {runs} ({scenario.Moves.Length} moves); smallest reproducer, {smallest.Moves.Length} moves:");
                    output.WriteLine(smallest.Reproducer());
                    output.WriteLine(string.Join('\n', small.Problems.Select(p => "  " + p.Replace("\n", "\n  ", StringComparison.Ordinal))));
                    output.WriteLine();
                    output.Flush();
                }
            }

            if (watch.Elapsed >= nextProgress)
            {
                nextProgress = watch.Elapsed + TimeSpan.FromSeconds(30);
                progress.WriteLine($"soak: {watch.Elapsed:mm\\:ss} {runs} runs, {asked} moves asked, {done} done, {refused} refused, {differing} differing runs, {signatures.Count} kinds of failure");
            }
        }

        output.WriteLine($"soak: seed {seed}, {runs} runs, {done} moves done ({precopied} of them pre-copy, {postcopied} post-copy), {watch.Elapsed.TotalSeconds:0} s; kinds of failure:");
        foreach ((string signature, int count) in signatures.OrderByDescending(s => s.Value))
        {
            output.WriteLine($"  {count,5} × {signature}");
        }

        output.WriteLine("refusals:");
        foreach ((string reason, int count) in refusals.OrderByDescending(s => s.Value))
        {
            output.WriteLine($"  {count,5} × {reason}");
        }

        output.WriteLine($"moves {asked}, refused {refused}, lost {lost}, duplicated {duplicated}, differing runs {differing}");
        return differing == 0 ? 0 : 1;
    }

    /// <summary>Runs one scenario (<see cref="StressScenario.Line"/>), prints what every program printed and the verdict; non-zero when it differs.</summary>
    public static int Replay(TextWriter output, string line)
    {
        StressScenario scenario;
        try
        {
            scenario = StressScenario.Parse(line);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            output.WriteLine($"soak: {e.Message}");
            return 2;
        }

        (StressOutcome outcome, StressVerdict verdict) = StressRun.Check(scenario);
        for (int i = 0; i < outcome.Lines.Length; i++)
        {
            output.WriteLine($"program {i + 1} ({scenario.Sample.Programs[i]}): status {outcome.Statuses[i]} {outcome.Diagnostics[i]}");
            output.WriteLine(string.Concat(outcome.Lines[i].Select(l => $"  {l}\n")).TrimEnd('\n'));
        }

        foreach (StressTicket ticket in outcome.Tickets)
        {
            output.WriteLine($"move of process {ticket.Pid} to {ticket.Target}: {ticket.State} {ticket.Refusal}");
        }

        output.WriteLine($"faults armed {outcome.FaultsArmed}, never hit {outcome.FaultsLeft}");
        output.WriteLine(verdict.Passed ? "as unmoved" : $"differs: {verdict.Signature}\n{string.Join('\n', verdict.Problems)}");
        return verdict.Passed ? 0 : 1;
    }

    /// <summary>A smaller scenario that fails the same way: without faults if it can, then with moves dropped one at a time.</summary>
    private static StressScenario Shrink(StressScenario scenario, string signature)
    {
        int budget = ShrinkBudget;
        bool Same(StressScenario candidate)
        {
            budget--;
            return StressRun.Check(candidate).Verdict.Signature == signature;
        }

        if (scenario.Moves.Any(m => m.LostRegion >= 0) && Same(scenario.WithoutFaults()))
        {
            scenario = scenario.WithoutFaults();
        }

        for (bool shrunk = true; shrunk && budget > 0;)
        {
            shrunk = false;
            for (int i = scenario.Moves.Length - 1; i >= 0 && budget > 0; i--)
            {
                StressScenario candidate = scenario with { Moves = [.. scenario.Moves.Where((_, k) => k != i)] };
                if (candidate.Moves.Length > 0 && Same(candidate))
                {
                    scenario = candidate;
                    shrunk = true;
                }
            }
        }

        StressConfiguration plain = StressConfiguration.All[0];
        if (budget > 0 && scenario.Configuration != plain && Same(scenario with { Configuration = plain }))
        {
            scenario = scenario with { Configuration = plain };
        }

        return scenario;
    }
}
