using System.Globalization;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// Live migration (issue 17): user/bin/dirty.elf, a process of the seed's size (86 pages of heap) or larger that writes
/// a set number of pages each millisecond, moved once from CC0 to CC1 at 4 ms, stop-and-copy, pre-copy and
/// post-copy, in both NoC timings: downtime and total time against the process's size and its write rate, and
/// Nanvix's scenario grid (extra pages {0, 16, 32} × threads {0, 8, 16}) beside the seed's 226 ms and the later
/// 19–113 ms. Every move is checked: Done, status 0, and the line an unmoved run prints.
/// </summary>
public static class LiveFigure
{
    /// <summary>Pages of the seed's process (its 342.8 KB of sections, in pages), the base of every run.</summary>
    public const int SeedPages = 86;

    /// <summary>Simulated milliseconds the process runs: room for the slowest move (post-copy's pulls in nanvix timing, about 15 ms).</summary>
    public const int RunMs = 30;

    /// <summary>The move is asked at 4 ms, after the process has filled its pages (about 1 ms for 118 pages) and while it writes at its rate.</summary>
    private const ulong MoveAt = 1_600_000;
    private static readonly MigrationMode[] Modes = [MigrationMode.Stop, MigrationMode.Precopy, MigrationMode.Postcopy];
    private static readonly NocTimingMode[] Timings = [NocTimingMode.Hardware, NocTimingMode.Nanvix];

    /// <summary>Extra pages beyond the seed's 86: 32 is the most that fits a cluster's 512 KB of user memory with the stacks and tables.</summary>
    public static readonly int[] ExtraPages = [0, 8, 16, 24, 32];

    public static readonly int[] Rates = [0, 1, 2, 4, 8, 16, 32, 64];

    public static readonly int[] GridPages = [0, 16, 32];

    public static readonly int[] GridThreads = [0, 8, 16];

    /// <summary>One move: where it was made and what it cost, in ms at 400 MHz (NaN when post-copy's figures did not come).</summary>
    public sealed record Point(string Axis, NocTimingMode Timing, MigrationMode Mode, int Pages, int Rate, int Threads, double DowntimeMs, double TotalMs, MigrationReport Report)
    {
        /// <summary>Threads asked for (<see cref="Threads"/> is how many the process could create: a 4 KB stack each).</summary>
        public int Asked { get; init; }
    }

    public static void Write(TextWriter table, string directory)
    {
        var jobs = new List<(string Axis, NocTimingMode Timing, MigrationMode Mode, int Pages, int Rate, int Threads)>();
        foreach (NocTimingMode timing in Timings)
        {
            foreach (MigrationMode mode in Modes)
            {
                jobs.AddRange(ExtraPages.Select(e => ("size", timing, mode, SeedPages + e, 1, 0)));
                jobs.AddRange(Rates.Select(r => ("rate", timing, mode, SeedPages, r, 0)));
                jobs.AddRange(from p in GridPages from t in GridThreads select ("grid", timing, mode, SeedPages + p, 1, t));
            }
        }

        var points = new Point[jobs.Count];
        int finished = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            (string axis, NocTimingMode timing, MigrationMode mode, int pages, int rate, int threads) = jobs[i];
            points[i] = Move(axis, timing, mode, pages, rate, threads);
            Console.Error.Write($"\rlive: {Interlocked.Increment(ref finished)} of {jobs.Count} moves   ");
        });
        Console.Error.WriteLine();

        WriteTable(table, "process size (rate 1 page/ms, no extra threads)", "pages", points.Where(p => p.Axis == "size"), p => p.Pages);
        WriteTable(table, $"write rate ({SeedPages} pages, no extra threads)", "pages/ms", points.Where(p => p.Axis == "rate"), p => p.Rate);
        WriteGrid(table, points.Where(p => p.Axis == "grid").ToList());
        Plot(Path.Combine(directory, "live"), points);
        table.WriteLine($"plot: {Path.Combine(directory, "live.png")}");
    }

    /// <summary>Runs dirty.elf on CC0 and moves it to CC1 at 4 ms the way <paramref name="mode"/> says; checks the move and the output.</summary>
    public static Point Move(string axis, NocTimingMode timing, MigrationMode mode, int pages, int rate, int threads)
    {
        string[] arguments = ["dirty", $"{pages}", $"{rate}", $"{RunMs}", $"{threads}"];
        string expected = $"dirty: {pages} pages, {rate} a ms, {RunMs} ms, ";
        using var processor = new Processor(Mppa256.Spec(), timing);
        var output = new StringWriter();
        var system = new Multikernel(processor, _ => new TextWriterConsole(output, output, input: null));
        int pid = system.Spawn(processor.Cluster("CC0"), ElfImage.Parse(Image, Mppa256.UserBytes), arguments);
        MigrationTicket ticket = system.RequestMigration(pid, processor.Cluster("CC1"), MoveAt, mode);
        IReadOnlyList<ClusterExit> exits = system.RunToCompletion();
        if (ticket.State != MigrationState.Done || exits.Single().Exit.Status != 0 || !output.ToString().StartsWith(expected, StringComparison.Ordinal) || !output.ToString().EndsWith($" of {threads} threads: ok\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"live: {string.Join(' ', arguments)} {mode} {timing}: {ticket}; status {exits.Single().Exit.Status}; output {output}");
        }

        MigrationReport report = ticket.Report!;
        double perMs = processor.Spec.FrequencyHz / 1000.0;
        ulong total = report.Postcopy is { } post ? (post.Complete ? post.TotalCycles : 0) : report.TotalCycles;
        int created = int.Parse(output.ToString().AsSpan(expected.Length, output.ToString().IndexOf(" of ", expected.Length, StringComparison.Ordinal) - expected.Length), CultureInfo.InvariantCulture);
        return new Point(axis, timing, mode, pages, rate, created, report.DowntimeCycles / perMs, total == 0 ? double.NaN : total / perMs, report) { Asked = threads };
    }

    /// <summary>user/bin/dirty.elf, read from the repository root (where the figures run from).</summary>
    private static byte[] Image { get; } = File.ReadAllBytes(Path.Combine("user", "bin", "dirty.elf"));

    private static string Name(MigrationMode mode) => mode switch { MigrationMode.Precopy => "pre-copy", MigrationMode.Postcopy => "post-copy", _ => "stop-and-copy" };

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.000", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter table, string title, string unit, IEnumerable<Point> points, Func<Point, int> x)
    {
        table.WriteLine($"## Downtime and total time (ms) against {title}");
        table.WriteLine();
        table.WriteLine($"| timing | mode | {unit} | downtime | total | bytes frozen | rounds (pages) | pages pulled (waited for) |");
        table.WriteLine("|---|---|---:|---:|---:|---:|---|---:|");
        foreach (Point p in points.OrderBy(p => p.Timing).ThenBy(p => p.Mode).ThenBy(x))
        {
            string rounds = p.Report.Rounds.Count == 0 ? "" : string.Join(", ", p.Report.Rounds.Select(r => r.Pages));
            string pulled = p.Report.Postcopy is { } post ? $"{post.Pulled} ({post.Demanded})" : "";
            table.WriteLine($"| {p.Timing.ToString().ToLowerInvariant()} | {Name(p.Mode)} | {x(p)} | {Ms(p.DowntimeMs)} | {Ms(p.TotalMs)} | {p.Report.TotalBytes:N0} | {rounds} | {pulled} |");
        }

        table.WriteLine();
    }

    private static void WriteGrid(TextWriter table, List<Point> points)
    {
        table.WriteLine($"## Nanvix's scenarios: downtime (ms) by extra pages × threads, beside the seed's {MigrationFigure.SeedMigrationMs} ms migration and the later {MigrationFigure.LaterDowntimeLowMs}–{MigrationFigure.LaterDowntimeHighMs} ms downtime");
        table.WriteLine();
        table.WriteLine("| timing | mode | " + string.Join(" | ", from p in GridPages from t in GridThreads select $"+{p} pages, {t} threads") + " |");
        table.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", GridPages.Length * GridThreads.Length)));
        foreach (NocTimingMode timing in Timings)
        {
            foreach (MigrationMode mode in Modes)
            {
                IEnumerable<string> cells = from e in GridPages
                                            from t in GridThreads
                                            select Cell(points.Single(p => p.Timing == timing && p.Mode == mode && p.Pages == SeedPages + e && p.Asked == t));
                table.WriteLine($"| {timing.ToString().ToLowerInvariant()} | {Name(mode)} | {string.Join(" | ", cells)} |");
            }
        }

        table.WriteLine();
    }

    private static string Cell(Point p) => Ms(p.DowntimeMs) + (p.Threads < p.Asked ? $" ({p.Threads} threads fit)" : "");

    private static void Plot(string path, Point[] points)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: 2);
        (string Axis, bool Total, string Title, string X)[] panels =
        [
            ("size", false, "(a) downtime against process size", "pages (the seed's 86 and more)"),
            ("size", true, "(b) total migration time against process size", "pages (the seed's 86 and more)"),
            ("rate", false, "(c) downtime against write rate (86 pages)", "pages written per ms"),
            ("rate", true, "(d) total migration time against write rate (86 pages)", "pages written per ms"),
        ];
        for (int i = 0; i < panels.Length; i++)
        {
            (string axis, bool total, string title, string xLabel) = panels[i];
            Plot plot = multiplot.GetPlot(i);
            foreach (NocTimingMode timing in Timings)
            {
                foreach (MigrationMode mode in Modes)
                {
                    Point[] series = [.. points.Where(p => p.Axis == axis && p.Timing == timing && p.Mode == mode).OrderBy(p => axis == "size" ? p.Pages : p.Rate)];
                    double[] xs = [.. series.Select(p => axis == "size" ? p.Pages : Math.Log2(p.Rate + 1))];
                    double[] ys = [.. series.Select(p => Math.Log10(Math.Max(1e-4, total ? p.TotalMs : p.DowntimeMs)))];
                    var line = plot.Add.Scatter(xs, ys);
                    line.LegendText = $"{Name(mode)}, {timing.ToString().ToLowerInvariant()}";
                    line.LinePattern = timing == NocTimingMode.Nanvix ? LinePattern.Dashed : LinePattern.Solid;
                    line.MarkerShape = mode switch { MigrationMode.Precopy => MarkerShape.OpenSquare, MigrationMode.Postcopy => MarkerShape.FilledTriangleUp, _ => MarkerShape.FilledCircle };
                }
            }

            var seed = plot.Add.HorizontalLine(Math.Log10(MigrationFigure.SeedMigrationMs));
            seed.LegendText = $"seed: {MigrationFigure.SeedMigrationMs} ms migration";
            var band = plot.Add.VerticalSpan(Math.Log10(MigrationFigure.LaterDowntimeLowMs), Math.Log10(MigrationFigure.LaterDowntimeHighMs));
            band.LegendText = $"later work: {MigrationFigure.LaterDowntimeLowMs}–{MigrationFigure.LaterDowntimeHighMs} ms downtime";
            band.FillStyle.Color = Colors.Gray.WithAlpha(0.2);
            plot.Title(title);
            plot.XLabel(axis == "size" ? xLabel : xLabel + " (log2 of rate + 1)");
            plot.YLabel("ms (log10)");
            plot.Axes.SetLimitsY(-3, 2.6);
            if (axis == "size")
            {
                plot.Axes.SetLimitsX(SeedPages - 2, SeedPages + ExtraPages[^1] + 2);
            }

            if (i == 1)
            {
                plot.ShowLegend(Alignment.MiddleRight);
            }
            else
            {
                plot.HideLegend();
            }
        }

        multiplot.SavePng(path + ".png", 1400, 1000);
    }
}
