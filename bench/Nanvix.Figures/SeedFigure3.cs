using System.Globalization;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Elf;
using Nanvix.Bench.ForkJoin;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// The seed's Fig. 3 in modeled form (Vanz 2022: thread create and join with and without the UArea on the MPPA-256:
/// execution time, and the kernel's branches, D$ misses and I$ misses): Nanvix's fork-join on CC0 of the MPPA-256
/// at its cache geometry (I$ and D$ 8 KB, 2-way, 64 B lines), 1..17 threads, both layouts, one process alone and
/// <see cref="Crowd"/> processes sharing the cluster (the most it holds), each running the same fork-join, one beside a
/// mailbox ping-pong (<see cref="RunBesideIkc"/>) and one beside a memory-bound process (<see cref="RunBesideMemoryBound"/>). Every
/// figure is per thread create+join: (a run of <see cref="Rounds"/> rounds − a run of 0 rounds) / (processes ×
/// threads × rounds), so program load and exit cancel out.
/// </summary>
public static class SeedFigure3
{
    public const int Rounds = 10;

    /// <summary>Processes in the crowded scenario: every process slot of a cluster.</summary>
    public const int Crowd = KernelConstants.MaxProcesses;

    /// <summary>
    /// The gap between User Areas of the third crowded UArea series: 15 lines, so that one User Area to the next is 80
    /// lines and each process's thread table (12 lines) sits on sets of its own in the 64-set D$.
    /// </summary>
    public const int Gap = 960;

    /// <summary>Pages of heap the memory-bound process walks (8 times the D$), and its rounds: it outlasts the longest fork-join (about 1.1 M cycles against 174 k).</summary>
    public const int MemoryBoundPages = 16;

    public const int MemoryBoundRounds = 3;

    // What runs beside the fork-join in a scenario (as its name ends): nothing, the ping-pong, the memory-bound process.
    private const string Alone = "";
    private const string PingPong = " beside a ping-pong";
    private const string MemoryBound = " beside a memory-bound process";

    private static readonly string[] Metrics = ["cycles", "kernel branches", "kernel D$ misses", "kernel I$ misses"];

    public static void Write(TextWriter table, string directory)
    {
        (ProcessLayoutKind Layout, int Processes, int Gap, string Beside)[] scenarios =
        [
            (ProcessLayoutKind.UArea, 1, 0, Alone), (ProcessLayoutKind.Scattered, 1, 0, Alone),
            (ProcessLayoutKind.UArea, Crowd, 0, Alone), (ProcessLayoutKind.Scattered, Crowd, 0, Alone), (ProcessLayoutKind.UArea, Crowd, Gap, Alone),
            (ProcessLayoutKind.UArea, 1, 0, PingPong), (ProcessLayoutKind.Scattered, 1, 0, PingPong),
            (ProcessLayoutKind.UArea, 1, 0, MemoryBound), (ProcessLayoutKind.Scattered, 1, 0, MemoryBound),
        ];
        var series = new List<(string Name, double[][] Values)>();
        foreach ((ProcessLayoutKind layout, int processes, int gap, string beside) in scenarios)
        {
            {
                double[][] values = [.. Metrics.Select(_ => new double[17])];
                Fig3Run RunOf(int threads, int rounds) => beside switch
                {
                    PingPong => RunBesideIkc(layout, threads, rounds),
                    MemoryBound => RunBesideMemoryBound(layout, threads, rounds),
                    _ => Run(layout, threads, rounds, processes, gap),
                };

                for (int threads = 1; threads <= 17; threads++)
                {
                    Console.Error.Write($"\rfig3: {layout}, {processes} process(es){beside}, {threads} thread(s)   ");
                    Fig3Run idle = RunOf(threads, 0);
                    Fig3Run busy = RunOf(threads, Rounds);
                    double pairs = (double)processes * threads * Rounds;
                    values[0][threads - 1] = (busy.Cycles - (double)idle.Cycles) / pairs;
                    values[1][threads - 1] = (busy.KernelBranches - (double)idle.KernelBranches) / pairs;
                    values[2][threads - 1] = (busy.KernelDataMisses - (double)idle.KernelDataMisses) / pairs;
                    values[3][threads - 1] = (busy.KernelInstructionMisses - (double)idle.KernelInstructionMisses) / pairs;
                }

                string scenario = beside.Length > 0 ? beside.TrimStart() : processes == 1 ? "alone" : $"{processes} processes";
                series.Add(($"{layout}{(gap == 0 ? "" : $" + {gap} B gap")}, {scenario}", values));
            }
        }

        Console.Error.WriteLine();
        table.WriteLine($"Modeled fork-join on CC0 of the MPPA-256 (I$ and D$ 8 KB, 2-way, 64 B lines; miss penalty {Arch.Core.CycleCosts.Mppa256.CacheMissPenalty} cycles), {Rounds} rounds, per thread create+join; alone, with {Crowd} processes on the cluster, under UArea with {Gap} B between User Areas, beside a mailbox ping-pong CC0 <-> CC1 ({PingPongRounds} round trips of 100 B), and beside a memory-bound process on CC0 (pages {MemoryBoundPages} {MemoryBoundRounds}: {MemoryBoundPages * 4} KB of heap walked); beside another program the cycles are the fork-join's own:");
        table.WriteLine();
        table.WriteLine("| threads | " + string.Join(" | ", series.SelectMany(s => Metrics.Select(m => $"{m}, {s.Name}"))) + " |");
        table.WriteLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", series.Count * Metrics.Length)));
        for (int i = 0; i < 17; i++)
        {
            IEnumerable<string> cells = series.SelectMany(s => s.Values.Select((v, m) => v[i].ToString(m == 0 ? "0" : "0.00", CultureInfo.InvariantCulture)));
            table.WriteLine($"| {i + 1} | {string.Join(" | ", cells)} |");
        }

        Plot(Path.Combine(directory, "seed-fig3"), series);
    }

    /// <summary>One run of <paramref name="processes"/> fork-join processes on CC0 with the MPPA-256's caches; what the kernel counted.</summary>
    public static Fig3Run Run(ProcessLayoutKind layout, int threads, int rounds, int processes, int uareaGap = 0)
    {
        ProcessorSpec spec = Mppa256.Spec();
        using var processor = new Processor(spec);
        ICluster cluster = processor.Cluster("CC0");
        IClusterKernel kernel = ClusterKernel.Create(cluster, spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null), layout, uareaGap: uareaGap);
        kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        ElfImage image = ElfImage.Parse(ForkJoinProgram.Image, Mppa256.UserBytes);
        string[] arguments = ["forkjoin", threads.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)];
        for (int p = 0; p < processes; p++)
        {
            kernel.Spawn(image, arguments);
        }

        kernel.RunToCompletion();
        if (kernel.Exits.Count != processes || kernel.Exits.Any(e => e.Status != 0))
        {
            throw new InvalidOperationException($"fig3: {processes} × forkjoin {threads} {rounds} under {layout}: {string.Join(", ", kernel.Exits.Select(e => $"pid {e.Pid} status {e.Status} {e.Diagnostic}"))}");
        }

        return Counts(kernel);
    }

    private static Fig3Run Counts(IClusterKernel kernel)
    {
        ulong dataMisses = 0;
        ulong instructionMisses = 0;
        for (int c = 0; c < kernel.Cluster.Cores.Count; c++)
        {
            ICore core = kernel.Core(c);
            dataMisses += core.DataCache!.Kernel.Misses;
            instructionMisses += core.InstructionCache!.Kernel.Misses;
        }

        ulong branches = 0;
        for (int p = 0; p < KernelText.PathCount; p++)
        {
            branches += kernel.KernelData.Of((KernelPath)p).Branches;
        }

        return new Fig3Run(kernel.Statistics.Cycles, branches, dataMisses, instructionMisses);
    }

    /// <summary>Messages the ping-pong beside the fork-join exchanges: it outlasts the longest fork-join (17 threads, 10 rounds).</summary>
    public const int PingPongRounds = 100;

    /// <summary>
    /// One fork-join on CC0 while a mailbox ping-pong runs between CC0 and CC1 (100-byte messages, <see
    /// cref="PingPongRounds"/> round trips): CC0's master takes every message's interrupt and serves the ping's calls,
    /// its IKC descriptors sit among the fork-join's state. Cycles are the fork-join's own (its exit); the kernel's
    /// counts are CC0's, the ping-pong's included (the same in the 0-round run, so they cancel in the difference).
    /// </summary>
    /// <param name="pingpongPath">The ping-pong program (default user/bin/pingpong.elf, from the repository root).</param>
    public static Fig3Run RunBesideIkc(ProcessLayoutKind layout, int threads, int rounds, string? pingpongPath = null)
    {
        using var processor = new Processor(Mppa256.Spec());
        var system = new Multikernel(processor, _ => new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null), layout, cache: true);
        ICluster cc0 = processor.Cluster("CC0");
        ICluster cc1 = processor.Cluster("CC1");
        byte[] pingpong = File.ReadAllBytes(pingpongPath ?? Path.Combine("user", "bin", "pingpong.elf"));
        string size = "100";
        string count = PingPongRounds.ToString(CultureInfo.InvariantCulture);
        system.Spawn(cc0, ElfImage.Parse(pingpong, Mppa256.UserBytes), ["pingpong", "ping", cc1.NocNodes[0].ToString(CultureInfo.InvariantCulture), count, size]);
        system.Spawn(cc1, ElfImage.Parse(pingpong, Mppa256.UserBytes), ["pingpong", "pong", cc0.NocNodes[0].ToString(CultureInfo.InvariantCulture), count, size]);
        int forkjoin = system.Spawn(cc0, ElfImage.Parse(ForkJoinProgram.Image, Mppa256.UserBytes), ["forkjoin", threads.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)]);
        system.RunToCompletion();
        if (system.Exits.Count != 3 || system.Exits.Any(e => e.Exit.Status != 0))
        {
            throw new InvalidOperationException($"fig3: forkjoin {threads} {rounds} beside a ping-pong under {layout}: {string.Join(", ", system.Exits.Select(e => $"{e.Cluster} pid {e.Exit.Pid} status {e.Exit.Status} {e.Exit.Diagnostic}"))}");
        }

        IClusterKernel kernel = system.Kernels.First(k => k.Cluster.Name == "CC0");
        Fig3Run counts = Counts(kernel);
        return counts with { Cycles = system.Exits.First(e => e.Exit.Pid == forkjoin).Exit.Cycle };
    }

    /// <summary>
    /// One fork-join on CC0 while a memory-bound process runs there too (<c>pages</c> <see cref="MemoryBoundPages"/>
    /// <see cref="MemoryBoundRounds"/>: it walks its heap, 8 times the D$, and makes 6 kernel calls in all): the two share
    /// the user cores and their D$, where the kernel runs traps and the calls it serves locally; the master core, which
    /// serves the board, runs no user code. Cycles are the fork-join's own (its exit); the kernel's counts are CC0's.
    /// </summary>
    /// <param name="pagesPath">The memory-bound program (default user/bin/pages.elf, from the repository root).</param>
    public static Fig3Run RunBesideMemoryBound(ProcessLayoutKind layout, int threads, int rounds, string? pagesPath = null)
    {
        ProcessorSpec spec = Mppa256.Spec();
        using var processor = new Processor(spec);
        IClusterKernel kernel = ClusterKernel.Create(processor.Cluster("CC0"), spec.FrequencyHz, new TextWriterConsole(TextWriter.Null, TextWriter.Null, input: null), layout);
        kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        byte[] pages = File.ReadAllBytes(pagesPath ?? Path.Combine("user", "bin", "pages.elf"));
        kernel.Spawn(ElfImage.Parse(pages, Mppa256.UserBytes), ["pages", MemoryBoundPages.ToString(CultureInfo.InvariantCulture), MemoryBoundRounds.ToString(CultureInfo.InvariantCulture)]);
        int forkjoin = kernel.Spawn(ElfImage.Parse(ForkJoinProgram.Image, Mppa256.UserBytes), ["forkjoin", threads.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture)]);
        kernel.RunToCompletion();
        if (kernel.Exits.Count != 2 || kernel.Exits.Any(e => e.Status != 0))
        {
            throw new InvalidOperationException($"fig3: forkjoin {threads} {rounds} beside pages under {layout}: {string.Join(", ", kernel.Exits.Select(e => $"pid {e.Pid} status {e.Status} {e.Diagnostic}"))}");
        }

        ProcessExit mine = kernel.Exits.First(e => e.Pid == forkjoin);
        if (mine.Cycle >= kernel.Exits.First(e => e.Pid != forkjoin).Cycle)
        {
            throw new InvalidOperationException($"fig3: forkjoin {threads} {rounds} outlasted the memory-bound process beside it under {layout}");
        }

        return Counts(kernel) with { Cycles = mine.Cycle };
    }

    private static void Plot(string path, List<(string Name, double[][] Values)> series)
    {
        double[] threads = [.. Enumerable.Range(1, 17).Select(t => (double)t)];
        var multiplot = new Multiplot();
        multiplot.AddPlots(Metrics.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: 2);
        string[] titles = ["(a) cycles per create+join", "(b) kernel branches", "(c) kernel D$ misses", "(d) kernel I$ misses"];
        for (int m = 0; m < Metrics.Length; m++)
        {
            Plot plot = multiplot.GetPlot(m);
            foreach ((string name, double[][] values) in series)
            {
                var line = plot.Add.Scatter(threads, values[m]);
                line.LegendText = name;
                bool uarea = name.StartsWith("UArea", StringComparison.Ordinal);
                line.MarkerSize = uarea ? 9 : 5;
                line.LineWidth = uarea ? 4 : 1.5f;
                line.MarkerShape = uarea ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
                if (name.Contains("processes", StringComparison.Ordinal))
                {
                    line.LinePattern = LinePattern.Dashed;
                }
                else if (name.Contains("memory-bound", StringComparison.Ordinal))
                {
                    line.LinePattern = LinePattern.Dotted;
                }
            }

            plot.Title(titles[m]);
            plot.XLabel("threads created, then joined");
            plot.Axes.SetLimitsY(0, series.Max(s => s.Values[m].Max()) * 1.15);
            if (m == 1)
            {
                // The branches are flat: the legend fits below them.
                plot.ShowLegend(Alignment.LowerRight);
            }
            else
            {
                plot.HideLegend();
            }
        }

        multiplot.SavePng(path + ".png", 1200, 900);
    }
}

/// <summary>What one fork-join run counted on CC0: elapsed cycles, and the kernel's branches, D$ misses and I$ misses on every core.</summary>
public readonly record struct Fig3Run(ulong Cycles, ulong KernelBranches, ulong KernelDataMisses, ulong KernelInstructionMisses);
