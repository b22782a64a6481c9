using System.Globalization;
using Nanvix.Arch.Cache;
using Nanvix.Bench.ForkJoin;
using Nanvix.Kernel.Layout;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// The modeled side of Nanvix's fork-join benchmark: for 1..17 threads and both layouts, the modeled cycles and
/// kernel D$ misses per thread create+join, with the cache model on. Each figure is the difference between a run
/// of R rounds and a run of 0 rounds (program load and exit), divided by threads × R.
/// </summary>
public static class ForkJoinFigure
{
    public const int Rounds = 10;

    public static void Write(TextWriter table, string directory, int dataCacheKB = 8)
    {
        ProcessLayoutKind[] layouts = [ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered];
        var cycles = new Dictionary<ProcessLayoutKind, double[]>();
        var misses = new Dictionary<ProcessLayoutKind, double[]>();
        var dataCache = CacheGeometry.Mppa256 with { SizeBytes = dataCacheKB * 1024 };
        foreach (ProcessLayoutKind layout in layouts)
        {
            cycles[layout] = new double[17];
            misses[layout] = new double[17];
            for (int threads = 1; threads <= 17; threads++)
            {
                Console.Error.Write($"\rforkjoin: {layout}, {threads} thread(s)   ");
                ForkJoinRun idle = ForkJoinProgram.Run(layout, threads, 0, cache: true, dataCache);
                ForkJoinRun busy = ForkJoinProgram.Run(layout, threads, Rounds, cache: true, dataCache);
                double pairs = threads * Rounds;
                cycles[layout][threads - 1] = (busy.Cycles - idle.Cycles) / pairs;
                misses[layout][threads - 1] = (busy.KernelMisses - idle.KernelMisses) / pairs;
            }
        }

        Console.Error.WriteLine();
        table.WriteLine($"Modeled fork-join on CC0 of the MPPA-256, cache model on (D$ {dataCacheKB} KB, 2-way, 64 B lines), {Rounds} rounds; per thread create+join:");
        table.WriteLine();
        table.WriteLine("| threads | cycles, UArea | cycles, Scattered | kernel D$ misses, UArea | kernel D$ misses, Scattered |");
        table.WriteLine("|---:|---:|---:|---:|---:|");
        for (int i = 0; i < 17; i++)
        {
            table.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {i + 1} | {cycles[ProcessLayoutKind.UArea][i]:0} | {cycles[ProcessLayoutKind.Scattered][i]:0} | {misses[ProcessLayoutKind.UArea][i]:0.00} | {misses[ProcessLayoutKind.Scattered][i]:0.00} |"));
        }

        string suffix = dataCacheKB == 8 ? "" : $"-dcache{dataCacheKB}k";
        Plot(directory, "forkjoin-cycles" + suffix, $"Modeled cycles per thread create+join (D$ {dataCacheKB} KB)", "cycles", cycles);
        Plot(directory, "forkjoin-kernel-misses" + suffix, $"Modeled kernel D$ misses per thread create+join (D$ {dataCacheKB} KB)", "misses", misses);
    }

    private static void Plot(string directory, string name, string title, string unit, Dictionary<ProcessLayoutKind, double[]> series)
    {
        var plot = new Plot();
        double[] threads = Enumerable.Range(1, 17).Select(t => (double)t).ToArray();
        foreach ((ProcessLayoutKind layout, double[] values) in series)
        {
            var line = plot.Add.Scatter(threads, values);
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
