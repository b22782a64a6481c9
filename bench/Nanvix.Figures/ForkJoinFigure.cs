using System.Globalization;
using System.Text.RegularExpressions;
using Nanvix.Arch.Cache;
using Nanvix.Bench.ForkJoin;
using Nanvix.Kernel.Layout;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// The modeled side of Nanvix's fork-join benchmark: for 1..17 threads and both layouts, the modeled cycles and
/// kernel D$ misses per thread create+join, with the cache model on. Each figure is the difference between a run
/// of R rounds and a run of 0 rounds (program load and exit), divided by threads × R. The runs come from
/// <see cref="ForkJoinProgram"/> (one cluster kernel, <see cref="Direct"/>) or from a sweep's whole runs of
/// <c>nanvix run</c> (<see cref="FromSweep"/>); both give the same table.
/// </summary>
public static partial class ForkJoinFigure
{
    public const int Rounds = 10;

    /// <summary>The thread counts of the figure: 1 to 17, the most a process may add to its main thread.</summary>
    public static readonly int[] AllThreads = [.. Enumerable.Range(1, 17)];

    private static readonly ProcessLayoutKind[] Layouts = [ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered];

    /// <summary>The figure's table: per layout, one value per thread count of <see cref="Threads"/>.</summary>
    public sealed record Table(int DataCacheBytes, int Ways, int LineBytes, int Rounds, IReadOnlyList<int> Threads, IReadOnlyDictionary<ProcessLayoutKind, double[]> Cycles, IReadOnlyDictionary<ProcessLayoutKind, double[]> KernelMisses)
    {
        public int DataCacheKB => DataCacheBytes / 1024;
    }

    /// <summary>The figure from <see cref="ForkJoinProgram"/>, as it has always been made: two runs per point.</summary>
    public static Table Direct(int dataCacheKB, int rounds = Rounds, IReadOnlyList<int>? threadCounts = null)
    {
        IReadOnlyList<int> counts = threadCounts ?? AllThreads;
        var cycles = new Dictionary<ProcessLayoutKind, double[]>();
        var misses = new Dictionary<ProcessLayoutKind, double[]>();
        var dataCache = CacheGeometry.Mppa256 with { SizeBytes = dataCacheKB * 1024 };
        foreach (ProcessLayoutKind layout in Layouts)
        {
            cycles[layout] = new double[counts.Count];
            misses[layout] = new double[counts.Count];
            for (int i = 0; i < counts.Count; i++)
            {
                int threads = counts[i];
                Console.Error.Write($"\rforkjoin: {layout}, {threads} thread(s)   ");
                ForkJoinRun idle = ForkJoinProgram.Run(layout, threads, 0, cache: true, dataCache);
                ForkJoinRun busy = ForkJoinProgram.Run(layout, threads, rounds, cache: true, dataCache);
                double pairs = threads * rounds;
                cycles[layout][i] = (busy.Cycles - idle.Cycles) / pairs;
                misses[layout][i] = (busy.KernelMisses - idle.KernelMisses) / pairs;
            }
        }

        Console.Error.WriteLine();
        return new Table(dataCache.SizeBytes, dataCache.Ways, dataCache.LineBytes, rounds, counts, cycles, misses);
    }

    /// <summary>
    /// The figure from a sweep's whole runs of user/bin/forkjoin.elf: one table per D$ geometry, in the order the sweep
    /// first runs them. Each run is known by what it printed (<c>forkjoin threads=T rounds=R ok</c>, status 0) and by its
    /// configuration (layout, D$); every run must have the cache model on and the same configuration but for layout, D$
    /// and arguments, and each point needs a run of 0 rounds and one of R rounds (one R for the whole sweep). A point
    /// is (cycles of R rounds − cycles of 0 rounds) / (T × R), and the same for the kernel D$ misses.
    /// </summary>
    /// <exception cref="FigureInputException">The sweep is not one of the figure.</exception>
    public static IReadOnlyList<Table> FromSweep(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new FigureInputException("forkjoin: the sweep has no runs");
        }

        string[] varied = ["layout", "dcache", "args"];
        string shared = rows[0].ConfigWithout(varied);
        var points = new Dictionary<(int Dcache, ProcessLayoutKind Layout, int Threads, int Rounds), SweepRow>();
        var geometries = new List<(int Size, int Ways, int Line)>();
        int busyRounds = 0;
        foreach (SweepRow row in rows)
        {
            if (row.ConfigWithout(varied) != shared)
            {
                throw new FigureInputException($"forkjoin: {row.Name} differs from run {rows[0].Index} in more than layout, dcache and args ({row.ConfigWithout(varied)} against {shared}); the figure's runs must differ only in what it varies");
            }

            if (row.Option("cache") != "true" || row.Metric("status") != 0)
            {
                throw new FigureInputException($"forkjoin: {row.Name} {(row.Option("cache") != "true" ? "has the cache model off (give \"cache\": \"on\")" : $"ended with status {row.Metric("status")}")}");
            }

            Match printed = Printed().Match(row.Stdout);
            if (!printed.Success)
            {
                throw new FigureInputException($"forkjoin: {row.Name} printed {Quote(row.Stdout)}, not the line of user/bin/forkjoin.elf (forkjoin threads=T rounds=R ok)");
            }

            int threads = int.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture);
            int rounds = int.Parse(printed.Groups[2].Value, CultureInfo.InvariantCulture);
            if (rounds > 0 && busyRounds != 0 && rounds != busyRounds)
            {
                throw new FigureInputException($"forkjoin: {row.Name} runs {rounds} rounds and another run {busyRounds}; give 0 and one other number of rounds");
            }

            busyRounds = rounds > 0 ? rounds : busyRounds;
            (int size, int ways, int line) = SweepResults.Geometry(row.Report.TryGetProperty("dcache", out var d) ? d.GetString() : null, $"forkjoin: {row.Name}: its statistics' dcache");
            if (!geometries.Contains((size, ways, line)))
            {
                geometries.Add((size, ways, line));
            }

            ProcessLayoutKind layout = row.Text("layout") == "scattered" ? ProcessLayoutKind.Scattered : ProcessLayoutKind.UArea;
            if (!points.TryAdd((size, layout, threads, rounds), row))
            {
                throw new FigureInputException($"forkjoin: {row.Name} and {points[(size, layout, threads, rounds)].Name} are both {layout}, D$ {size} B, {threads} threads, {rounds} rounds");
            }
        }

        if (busyRounds == 0)
        {
            throw new FigureInputException("forkjoin: every run has 0 rounds; the figure needs runs of R > 0 rounds beside them");
        }

        var tables = new List<Table>();
        foreach ((int size, int ways, int line) in geometries)
        {
            int[] counts = [.. points.Keys.Where(k => k.Dcache == size).Select(k => k.Threads).Distinct().Order()];
            var cycles = new Dictionary<ProcessLayoutKind, double[]>();
            var misses = new Dictionary<ProcessLayoutKind, double[]>();
            foreach (ProcessLayoutKind layout in Layouts)
            {
                cycles[layout] = new double[counts.Length];
                misses[layout] = new double[counts.Length];
                for (int i = 0; i < counts.Length; i++)
                {
                    SweepRow idle = Point(points, size, layout, counts[i], 0);
                    SweepRow busy = Point(points, size, layout, counts[i], busyRounds);
                    double pairs = counts[i] * busyRounds;
                    cycles[layout][i] = ((double)busy.Metric("cycles") - idle.Metric("cycles")) / pairs;
                    misses[layout][i] = ((double)busy.Metric("dcache_kernel_misses") - idle.Metric("dcache_kernel_misses")) / pairs;
                }
            }

            tables.Add(new Table(size, ways, line, busyRounds, counts, cycles, misses));
        }

        return tables;
    }

    /// <summary>The table in markdown, as docs/layouts.md shows it.</summary>
    public static void WriteTable(TextWriter writer, Table table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        writer.WriteLine($"Modeled fork-join on CC0 of the MPPA-256, cache model on (D$ {table.DataCacheKB} KB, {table.Ways}-way, {table.LineBytes} B lines), {table.Rounds} rounds; per thread create+join:");
        writer.WriteLine();
        writer.WriteLine("| threads | cycles, UArea | cycles, Scattered | kernel D$ misses, UArea | kernel D$ misses, Scattered |");
        writer.WriteLine("|---:|---:|---:|---:|---:|");
        for (int i = 0; i < table.Threads.Count; i++)
        {
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {table.Threads[i]} | {table.Cycles[ProcessLayoutKind.UArea][i]:0} | {table.Cycles[ProcessLayoutKind.Scattered][i]:0} | {table.KernelMisses[ProcessLayoutKind.UArea][i]:0.00} | {table.KernelMisses[ProcessLayoutKind.Scattered][i]:0.00} |"));
        }
    }

    /// <summary>The table on <paramref name="writer"/> and its two plots (PNG and SVG) in <paramref name="directory"/>.</summary>
    public static void Write(TextWriter writer, string directory, Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        WriteTable(writer, table);
        string suffix = table.DataCacheKB == 8 ? "" : $"-dcache{table.DataCacheKB}k";
        Plot(directory, "forkjoin-cycles" + suffix, $"Modeled cycles per thread create+join (D$ {table.DataCacheKB} KB)", "cycles", table.Threads, table.Cycles);
        Plot(directory, "forkjoin-kernel-misses" + suffix, $"Modeled kernel D$ misses per thread create+join (D$ {table.DataCacheKB} KB)", "misses", table.Threads, table.KernelMisses);
    }

    public static void Write(TextWriter table, string directory, int dataCacheKB = 8) => Write(table, directory, Direct(dataCacheKB));

    private static SweepRow Point(Dictionary<(int, ProcessLayoutKind, int, int), SweepRow> points, int size, ProcessLayoutKind layout, int threads, int rounds) =>
        points.TryGetValue((size, layout, threads, rounds), out SweepRow? row)
            ? row
            : throw new FigureInputException($"forkjoin: no run of {layout}, D$ {size} B, {threads} threads, {rounds} rounds in the sweep (each point needs 0 and R rounds in both layouts)");

    private static string Quote(string text) => text.Length > 80 ? $"\"{text[..80]}...\"" : $"\"{text.TrimEnd('\n')}\"";

    [GeneratedRegex(@"\Aforkjoin threads=(\d{1,2}) rounds=(\d{1,9}) ok\n\z")]
    private static partial Regex Printed();

    private static void Plot(string directory, string name, string title, string unit, IReadOnlyList<int> counts, IReadOnlyDictionary<ProcessLayoutKind, double[]> series)
    {
        var plot = new Plot();
        double[] threads = [.. counts.Select(t => (double)t)];
        foreach (ProcessLayoutKind layout in Layouts)
        {
            var line = plot.Add.Scatter(threads, series[layout]);
            line.LegendText = layout.ToString();
            line.MarkerSize = 6;
        }

        plot.Title(title);
        plot.XLabel("threads created, then joined");
        plot.YLabel(unit);
        plot.Axes.SetLimitsY(0, series.Values.Max(v => v.Max()) * 1.15);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(Path.Combine(directory, name + ".png"), 800, 450);
        plot.SaveSvg(Path.Combine(directory, name + ".svg"), 800, 450);
    }
}
