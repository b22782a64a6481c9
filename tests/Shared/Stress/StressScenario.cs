using System.Text;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>A sample run in one configuration with a list of moves (in cycle order, as <c>nanvix run</c> asks them).</summary>
internal sealed record StressScenario(StressSample Sample, StressConfiguration Configuration, StressMove[] Moves)
{
    /// <summary>
    /// Turns random choices into moves over an unmoved run of <paramref name="cycles"/> cycles: cycles first (sorted),
    /// then the targets in that order, following where each program would be if every move before it were done, so
    /// that "home" and "a node another program just left" mean what they say as long as nothing was refused.
    /// </summary>
    public static StressScenario Plan(StressSample sample, StressConfiguration configuration, ulong cycles, IReadOnlyList<StressMoveChoice> choices)
    {
        int[] movable = sample.MovablePrograms;
        ulong earliest = (ulong)(sample.Earliest * cycles);
        var timed = new List<(ulong Cycle, StressMoveChoice Choice)>();
        ulong previous = earliest;
        foreach (StressMoveChoice choice in choices)
        {
            ulong cycle = choice.Soon
                ? previous + (ulong)(choice.When * 0.02 * cycles)
                : earliest + (ulong)(choice.When * (cycles - earliest));
            timed.Add((cycle, choice));
            previous = cycle;
        }

        int[] at = [.. sample.Programs.Select(p => Cluster(p.Cluster))];
        int left = -1;
        var moves = new List<StressMove>();
        foreach ((ulong cycle, StressMoveChoice choice) in timed.OrderBy(t => t.Cycle))
        {
            int program = movable[choice.Program % movable.Length];
            int[] others = [.. Enumerable.Range(0, at.Length).Where(p => p != program)];
            int home = Cluster(sample.Programs[program].Cluster);
            int cluster = choice.Aim switch
            {
                StressAim.Home when home != at[program] => home,
                StressAim.JustLeft when left >= 0 && left != at[program] => left,
                StressAim.Occupied when others.Length > 0 => at[others[choice.Cluster % others.Length]],
                _ => choice.Cluster % 16,
            };

            // A move onto the cluster the program is on is refused at once and tests nothing: aim at the next one.
            if (cluster == at[program])
            {
                cluster = (cluster + 1) % 16;
            }

            moves.Add(new StressMove(cycle, program, cluster, choice.LostRegion < 0 ? -1 : choice.LostRegion % 6, choice.Mode));
            if (cluster != at[program])
            {
                left = at[program];
                at[program] = cluster;
            }
        }

        return new StressScenario(sample, configuration, [.. moves]);
    }

    private static int Cluster(string name) => int.Parse(name.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The same scenario without its faults (what <c>nanvix run</c> can replay).</summary>
    public StressScenario WithoutFaults() => this with { Moves = [.. Moves.Select(m => m with { LostRegion = -1 })] };

    /// <summary>The image file (programs in user/bin, seen from user/images) of the sample.</summary>
    public string Image()
    {
        var json = new StringBuilder();
        json.Append("{\n  \"description\": \"stress sample ").Append(Sample.Name).Append("\",\n  \"programs\": [\n");
        for (int i = 0; i < Sample.Programs.Length; i++)
        {
            StressProgram p = Sample.Programs[i];
            json.Append("    { \"cluster\": \"").Append(p.Cluster).Append("\", \"program\": \"../bin/").Append(p.Name).Append(".elf\", \"args\": [")
                .Append(string.Join(", ", p.Arguments.Skip(1).Select(a => $"\"{a}\""))).Append("] }")
                .Append(i + 1 < Sample.Programs.Length ? ",\n" : "\n");
        }

        return json.Append("  ]\n}").ToString();
    }

    /// <summary>The command that replays it, the image saved as <paramref name="imagePath"/>.</summary>
    public string Command(string imagePath = "user/images/stress.json") =>
        $"nanvix run --image {imagePath} {Configuration.Options}" + string.Concat(Moves.Select(m => " --migrate " + m.Argument));

    /// <summary>A reproducer: the image, the command, and the faults the command line cannot say.</summary>
    public string Reproducer()
    {
        string faults = string.Join(", ", Moves.Select((m, i) => (m, i)).Where(t => t.m.LostRegion >= 0).Select(t => $"move {t.i + 1} loses {t.m.Lost}"));
        return $"sample {Sample.Name}, {Configuration.Options}\n{Image()}\n{Command()}"
            + (faults.Length > 0 ? $"\nfaults (not on the command line): {faults}" : "")
            + $"\nreplay: dotnet run -c Release --project bench/Nanvix.Figures -- soak --replay '{Line}'";
    }

    /// <summary>
    /// The scenario in one line, as <see cref="Parse"/> reads it (the soak's <c>--replay</c>): sample, layout, timing,
    /// cache, then each move as CYCLE:CLUSTER:PID (with :precopy or :postcopy) with /REGION when that region is lost.
    /// </summary>
    public string Line =>
        $"{Sample.Name} {(Configuration.Layout == Nanvix.Kernel.Layout.ProcessLayoutKind.Scattered ? "scattered" : "uarea")} {Configuration.Timing.ToString().ToLowerInvariant()} {(Configuration.Cache ? "on" : "off")}"
        + string.Concat(Moves.Select(m => " " + m.Argument + (m.LostRegion >= 0 ? $"/{m.LostRegion}" : "")));

    /// <summary>Reads <see cref="Line"/>.</summary>
    public static StressScenario Parse(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 4)
        {
            throw new FormatException($"'{line}' is not SAMPLE uarea|scattered hardware|nanvix on|off CYCLE:CCn:PID[:precopy|:postcopy][/REGION]...");
        }

        var configuration = new StressConfiguration(
            words[1] == "scattered" ? Nanvix.Kernel.Layout.ProcessLayoutKind.Scattered : Nanvix.Kernel.Layout.ProcessLayoutKind.UArea,
            words[2] == "nanvix" ? Nanvix.Hal.Noc.NocTimingMode.Nanvix : Nanvix.Hal.Noc.NocTimingMode.Hardware,
            words[3] == "on");
        StressMove[] moves =
        [
            .. words.Skip(4).Select(w =>
            {
                string[] lost = w.Split('/');
                string[] parts = lost[0].Split(':');
                return new StressMove(
                    ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) - 1,
                    Cluster(parts[1]),
                    lost.Length > 1 ? int.Parse(lost[1], System.Globalization.CultureInfo.InvariantCulture) : -1,
                    parts.Length < 4 ? Nanvix.Kernel.Migration.MigrationMode.Stop
                    : parts[3] == "precopy" ? Nanvix.Kernel.Migration.MigrationMode.Precopy
                    : parts[3] == "postcopy" ? Nanvix.Kernel.Migration.MigrationMode.Postcopy
                    : throw new FormatException($"'{parts[3]}' is not a mode (precopy, postcopy)"));
            }).OrderBy(m => m.Cycle),
        ];
        return new StressScenario(StressSample.Named(words[0]), configuration, moves);
    }

    public override string ToString() => $"{Sample.Name} {Configuration.Options}: {string.Join(' ', Moves.Select(m => m.ToString()))}";
}
