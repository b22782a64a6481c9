using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nanvix.Bench.Migration;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// The seed's process (user/bin/seedproc.elf) moved once, mid-run, from CC0 to each target, for each timing mode and
/// layout: bytes per region, freeze, transfer, restore and downtime, beside the link-bandwidth bound for the bytes
/// moved; the plot puts the phases beside the seed's published figures (Vanz 2022; Vanz, Souto, Castro). Every move
/// is checked: the ticket is Done, the process ends on the target with status 0 and prints what an unmoved run prints.
/// </summary>
public static class MigrationFigure
{
    /// <summary>Mean migration time the seed measured on the MPPA-256 (Vanz 2022, appendix A, thesis line 269), ms.</summary>
    public const double SeedMigrationMs = 226;

    /// <summary>Downtime range of the later publications (Vanz, Souto, Castro, SBC OpenLib 26505), ms.</summary>
    public const double LaterDowntimeLowMs = 19;

    /// <inheritdoc cref="LaterDowntimeLowMs"/>
    public const double LaterDowntimeHighMs = 113;

    private const string SourceName = "CC0";

    /// <summary>The compute cluster farthest from CC0 in NoC hops (the lowest-numbered one on a tie).</summary>
    public static string Farthest(ProcessorSpec spec)
    {
        NocTopology topology = spec.Noc.Topology;
        int source = spec.Cluster(SourceName).NocNodes[0];
        return spec.Clusters
            .Where(c => c.Kind == ClusterKind.Compute)
            .OrderByDescending(c => topology.Hops(source, c.NocNodes[0]))
            .ThenBy(c => c.Id)
            .First().Name;
    }

    /// <summary>
    /// Checks that <paramref name="name"/> is a compute cluster other than CC0; returns its canonical name, or null with
    /// <paramref name="problem"/> set.
    /// </summary>
    public static string? Target(ProcessorSpec spec, string name, out string? problem)
    {
        problem = null;
        ClusterSpec? cluster = spec.Clusters.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (cluster is null)
        {
            problem = $"--to '{name}': no such cluster (compute clusters: {string.Join(", ", spec.Clusters.Where(c => c.Kind == ClusterKind.Compute).Select(c => c.Name))})";
        }
        else if (cluster.Kind != ClusterKind.Compute)
        {
            problem = $"--to '{name}': {cluster.Name} is an I/O cluster; processes run on compute clusters";
        }
        else if (cluster.Name == SourceName)
        {
            problem = $"--to '{name}': the process starts on {SourceName}; pick another compute cluster";
        }

        return problem is null ? cluster!.Name : null;
    }

    public static void Write(TextWriter table, string plotPath, IReadOnlyList<NocTimingMode> timings, IReadOnlyList<ProcessLayoutKind> layouts, IReadOnlyList<string> targets)
    {
        var rows = new List<Row>();
        foreach (NocTimingMode timing in timings)
        {
            foreach (ProcessLayoutKind layout in layouts)
            {
                Console.Error.Write($"\rmigration: {timing}, {layout}, unmoved run          ");
                ulong cycles = SeedProcRig.UnmovedCycles(timing, layout, out string expected);
                foreach (string target in targets)
                {
                    Console.Error.Write($"\rmigration: {timing}, {layout}, CC0 -> {target}          ");
                    Row row = DirectRow(timing, layout, target, cycles / 2, expected);
                    rows.Add(row with { Host = TimeOnHost(timing, layout, target, cycles / 2) });
                }
            }
        }

        Console.Error.WriteLine();
        WriteRows(table, plotPath, rows, $"seedproc {SeedProcRig.Rounds} moved once from {SourceName}, mid-run (when {SourceName}'s clock passes half of an unmoved run)");
    }

    /// <summary>
    /// One row of the direct figure, without host times: seedproc on a <see cref="SeedProcRig"/>, moved from CC0 to
    /// <paramref name="target"/> when CC0's clock reaches <paramref name="at"/>, checked against the unmoved run's output.
    /// </summary>
    public static Row DirectRow(NocTimingMode timing, ProcessLayoutKind layout, string target, ulong at, string expected)
    {
        ProcessorSpec spec = Mppa256.Spec();
        int hops = spec.Noc.Topology.Hops(spec.Cluster(SourceName).NocNodes[0], spec.Cluster(target).NocNodes[0]);
        Phases report = Phases.Of(Move(timing, layout, target, at, expected));
        return new Row(timing, layout, target, hops, report, Bound(spec, report, hops), Host: null);
    }

    /// <summary>
    /// The figure from a sweep's whole runs of <c>nanvix run</c> (user/sweeps/migration.json): every run has the same
    /// configuration but for timing, layout and migrate, starts on CC0 and ends with status 0; per timing and layout one
    /// run does not move (migrate []), and each other run moves once, to the cluster its move names, ending there with
    /// the output of the unmoved run. The rows are the moved runs in the sweep's order; host times are not measured (a
    /// sweep records simulated quantities only).
    /// </summary>
    /// <exception cref="FigureInputException">The sweep is not one of the figure.</exception>
    public static void WriteFromSweep(TextWriter table, string plotPath, IReadOnlyList<SweepRow> rows) =>
        WriteRows(table, plotPath, FromSweep(rows, out string headline), headline);

    /// <summary>The rows of <see cref="WriteFromSweep"/>, and the first line of its table.</summary>
    public static List<Row> FromSweep(IReadOnlyList<SweepRow> rows, out string headline)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new FigureInputException("migration: the sweep has no runs");
        }

        ProcessorSpec spec = Mppa256.Spec();
        int sourceNode = spec.Cluster(SourceName).NocNodes[0];
        string[] varied = ["timing", "layout", "migrate"];
        string shared = rows[0].ConfigWithout(varied);
        var unmoved = new Dictionary<(string Timing, string Layout), SweepRow>();
        foreach (SweepRow row in rows)
        {
            if (row.ConfigWithout(varied) != shared)
            {
                throw new FigureInputException($"migration: {row.Name} differs from run {rows[0].Index} in more than timing, layout and migrate ({row.ConfigWithout(varied)} against {shared}); the figure's runs must differ only in what it varies");
            }

            if (row.Text("cluster") != SourceName || row.Metric("status") != 0)
            {
                throw new FigureInputException($"migration: {row.Name} {(row.Text("cluster") != SourceName ? $"starts on {row.Text("cluster")}, not {SourceName}" : $"ended with status {row.Metric("status")}")}");
            }

            if (row.Config.GetProperty("migrate").GetArrayLength() == 0 && !unmoved.TryAdd((row.Text("timing")!, row.Text("layout")!), row))
            {
                throw new FigureInputException($"migration: {row.Name} and {unmoved[(row.Text("timing")!, row.Text("layout")!)].Name} are both unmoved runs of {row.Text("timing")}, {row.Text("layout")}");
            }
        }

        var result = new List<Row>();
        var requested = new SortedSet<ulong>();
        var whole = new SortedSet<ulong>();
        foreach (SweepRow row in rows.Where(r => r.Config.GetProperty("migrate").GetArrayLength() > 0))
        {
            string timing = row.Text("timing")!;
            string layout = row.Text("layout")!;
            string[] moves = [.. row.Config.GetProperty("migrate").EnumerateArray().Select(m => m.GetString()!)];
            string[] move = moves[0].Split(':');
            if (moves.Length != 1 || move.Length != 2 || !ulong.TryParse(move[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong at))
            {
                throw new FigureInputException($"migration: {row.Name} asks for {string.Join(" ", moves)}; the figure's runs move once, CYCLE:CLUSTER");
            }

            if (!unmoved.TryGetValue((timing, layout), out SweepRow? still))
            {
                throw new FigureInputException($"migration: {row.Name} has no unmoved run of {timing}, {layout} beside it (give migrate [] too)");
            }

            JsonElement[] done = row.Report.TryGetProperty("migrations", out JsonElement list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];
            string target = move[1];
            if (done.Length != 1 || done[0].GetProperty("to").GetString() != target || row.Metric("migrations") != 1)
            {
                throw new FigureInputException($"migration: {row.Name} asked to move to {target} at cycle {at} and made {done.Length} move(s){(done.Length == 1 ? $", to {done[0].GetProperty("to").GetString()}" : "")}");
            }

            JsonElement program = row.Report.GetProperty("programs")[0];
            JsonElement[] clusters = [.. program.GetProperty("clusters").EnumerateArray()];
            if (clusters[^1].GetString() != target || row.Stdout != still.Stdout)
            {
                throw new FigureInputException($"migration: {row.Name} {(clusters[^1].GetString() != target ? $"ended on {clusters[^1].GetString()}, not {target}" : $"printed other output than its unmoved {still.Name}")}");
            }

            requested.Add(at);
            whole.Add(still.Metric("cycles"));
            Phases phases = Phases.Of(done[0], row.Name);
            int hops = spec.Noc.Topology.Hops(sourceNode, spec.Cluster(target).NocNodes[0]);
            result.Add(new Row(timing == "nanvix" ? NocTimingMode.Nanvix : NocTimingMode.Hardware, layout == "scattered" ? ProcessLayoutKind.Scattered : ProcessLayoutKind.UArea, target, hops, phases, Bound(spec, phases, hops), Host: null));
        }

        if (result.Count == 0)
        {
            throw new FigureInputException("migration: no run of the sweep moves (give migrate values such as [\"1857584:CC1\"])");
        }

        string name = Path.GetFileNameWithoutExtension(rows[0].Text("program") ?? "the program");
        string args = string.Join(' ', rows[0].Config.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        string when = string.Join(", ", requested.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)));
        string of = string.Join(", ", whole.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)));
        string share = string.Join(", ", requested.SelectMany(c => whole.Select(w => (100.0 * c / w).ToString("0.0", CultureInfo.InvariantCulture))).Distinct());
        headline = $"{name} {args} moved once from {SourceName} when its clock passes cycle {when} (a sweep's whole runs; unmoved runs take {of} cycles: at {share} %)";
        return result;
    }

    /// <summary>The link bound of a move: the bytes at the hardware timing's link bandwidth, and the hops' latency.</summary>
    private static ulong Bound(ProcessorSpec spec, Phases phases, int hops)
    {
        HardwareTiming wire = spec.Noc.Hardware;
        return (ulong)((phases.TotalBytes + wire.LinkBytesPerCycle - 1) / wire.LinkBytesPerCycle) + ((ulong)hops * (ulong)wire.HopLatencyCycles);
    }

    private static void WriteRows(TextWriter table, string plotPath, List<Row> rows, string headline)
    {
        ProcessorSpec spec = Mppa256.Spec();
        HardwareTiming wire = spec.Noc.Hardware;
        int sourceNode = spec.Cluster(SourceName).NocNodes[0];
        double mhz = spec.FrequencyHz / 1e6;
        string farthest = Farthest(spec);
        table.WriteLine($"{headline}, on the {spec.Noc.Topology.Kind} of the MPPA-256 at {mhz:0} MHz.");
        table.WriteLine($"Farthest compute cluster from {SourceName}: {farthest} ({spec.Noc.Topology.Hops(sourceNode, spec.Cluster(farthest).NocNodes[0])} hops). Bytes per region; times in cycles;");
        table.WriteLine($"link bound = ceil(total bytes / {wire.LinkBytesPerCycle} B/cycle) + hops x {wire.HopLatencyCycles} cycles (the hardware timing's link bandwidth and hop latency).");
        table.WriteLine("Every move: ticket Done, process ended on the target with status 0, output identical to the unmoved run's.");
        table.WriteLine();
        table.WriteLine("| timing | layout | to | hops | sections | stacks | kernel state | contexts | IKC | page list | total | freeze | transfer | restore | downtime | downtime (ms) | link bound | transfer / bound |");
        table.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            Phases r = row.Report;
            table.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {Name(row.Timing)} | {row.Layout} | {row.To} | {row.Hops} | {r.SectionBytes:N0} | {r.StackBytes:N0} | {r.KernelStateBytes:N0} | {r.ContextBytes:N0} | {r.IkcBytes:N0} | {r.ManifestBytes:N0} | {r.TotalBytes:N0} | {r.FreezeCycles:N0} | {r.TransferCycles:N0} | {r.RestoreCycles:N0} | {r.DowntimeCycles:N0} | {r.DowntimeMicroseconds / 1000:0.000} | {row.Bound:N0} | {(double)r.TransferCycles / row.Bound:0.000} |"));
        }

        table.WriteLine();
        table.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Seed (real MPPA-256): mean migration time {SeedMigrationMs:0} ms = {SeedMigrationMs * 1e-3 * spec.FrequencyHz:N0} cycles at {mhz:0} MHz (Vanz 2022, thesis L269); later work: downtime {LaterDowntimeLowMs:0}-{LaterDowntimeHighMs:0} ms (Vanz, Souto, Castro)."));

        // Host times vary from run to run: they go to stderr, not into the table.
        if (rows.TrueForAll(r => r.Host is not null))
        {
            Console.Error.WriteLine($"host time of a move, request to Done, median of {TimedMoves} after {WarmUp.TotalSeconds:0.0} s of warm-up moves ({FirstWarmUp.TotalSeconds:0} s before the first) (indicative; the BenchmarkDotNet figures are the measurement), by step of the loop:");
            foreach (Row row in rows)
            {
                HostTimes h = row.Host!;
                string steps = string.Join(", ", h.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Label} {s.Us:0.0}")));
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {Name(row.Timing),-8} {row.Layout,-9} -> {row.To,-4}: {h.TotalUs:0.0} us = {steps}; one quantum alone {h.QuantumUs:0.0} us"));
            }
        }

        Plot(plotPath, rows);
    }

    /// <summary>Moves done before the timed ones of a configuration: at least this many, for at least <see cref="WarmUp"/>.</summary>
    private const int WarmMoves = 20;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    /// <summary>Warm-up before the first configuration: the tiered JIT takes a few seconds of moves to settle on this 2-core host.</summary>
    private static readonly TimeSpan FirstWarmUp = TimeSpan.FromSeconds(3);

    private static bool s_warm;

    /// <summary>Timed moves per configuration; the host figures are their medians.</summary>
    private const int TimedMoves = 15;

    /// <summary>
    /// Host time of a move, warmed up, as medians over <see cref="TimedMoves"/>: from the request to the ticket Done,
    /// split by step of the loop (what each step ran: a quantum of a cluster, or a NoC or daemon event by its label),
    /// and one quantum of the process at the same point on an identical processor, for comparison with the first step.
    /// </summary>
    private static HostTimes TimeOnHost(NocTimingMode timing, ProcessLayoutKind layout, string target, ulong at)
    {
        long warming = Stopwatch.GetTimestamp();
        TimeSpan warmUp = s_warm ? WarmUp : FirstWarmUp;
        s_warm = true;
        for (int i = 0; i < WarmMoves || Stopwatch.GetElapsedTime(warming) < warmUp; i++)
        {
            using var rig = new SeedProcRig(timing, layout);
            rig.RunUntil(at);
            _ = rig.Move(rig.Processor.Cluster(target));
        }

        var totals = new List<double>();
        var quanta = new List<double>();
        var steps = new List<List<(string Label, double Us)>>();
        for (int i = 0; i < TimedMoves; i++)
        {
            using (var same = new SeedProcRig(timing, layout))
            {
                same.RunUntil(at);
                long before = Stopwatch.GetTimestamp();
                same.System.Step();
                quanta.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            }

            using var rig = new SeedProcRig(timing, layout);
            rig.RunUntil(at);
            rig.Processor.Scheduler.StartTrace();
            var run = new List<(string, double)>();
            long start = Stopwatch.GetTimestamp();
            MigrationTicket ticket = rig.System.RequestMigration(rig.Pid, rig.Processor.Cluster(target));
            while (ticket.State is MigrationState.Pending or MigrationState.Moving)
            {
                ulong events = rig.Processor.Scheduler.EventsRun;
                long before = Stopwatch.GetTimestamp();
                if (!rig.System.Step())
                {
                    break;
                }

                double us = Stopwatch.GetElapsedTime(before).TotalMicroseconds;
                string label = rig.Processor.Scheduler.EventsRun != events ? rig.Processor.Scheduler.Trace![^1].Label : run.Count == 0 ? "quantum + freeze" : "quantum";
                run.Add((label, us));
            }

            totals.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            steps.Add(run);
        }

        // The steps of every timed move are the same sequence (the simulation is deterministic): median per position.
        var medianSteps = new List<(string Label, double Us)>();
        for (int k = 0; k < steps[0].Count; k++)
        {
            medianSteps.Add((steps[0][k].Label, Median(steps.Select(r => r[k].Us))));
        }

        return new HostTimes(Median(totals), Median(quanta), medianSteps);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One move on a fresh processor, checked: the ticket is Done, the process ends on the target with status 0 and prints what it prints unmoved.</summary>
    private static MigrationReport Move(NocTimingMode timing, ProcessLayoutKind layout, string target, ulong at, string expected)
    {
        using var rig = new SeedProcRig(timing, layout);
        rig.RunUntil(at);
        MigrationTicket ticket = rig.Move(rig.Processor.Cluster(target));
        string what = $"{timing} {layout} CC0 -> {target}";
        if (ticket.State != MigrationState.Done || ticket.Report is null)
        {
            throw new InvalidOperationException($"{what}: the move did not happen: {ticket}");
        }

        ClusterExit exit = rig.Finish();
        if (exit.Cluster != target || exit.Exit.Status != 0)
        {
            throw new InvalidOperationException($"{what}: the process ended on {exit.Cluster} with status {exit.Exit.Status}");
        }

        if (rig.Output != expected)
        {
            throw new InvalidOperationException($"{what}: the output differs from the unmoved run's:\n{rig.Output}\n--- unmoved:\n{expected}");
        }

        return ticket.Report;
    }

    private static string Name(NocTimingMode timing) => timing == NocTimingMode.Hardware ? "hardware" : "nanvix";

    /// <summary>
    /// One stacked horizontal bar per configuration (freeze, transfer, restore, in µs, on a log axis since nanvix mode
    /// is about 17 times hardware mode), with the seed's published figures as two more bars.
    /// </summary>
    private static void Plot(string path, List<Row> rows)
    {
        const double FloorUs = 1;
        Color freeze = Colors.SteelBlue;
        Color transfer = Colors.Orange;
        Color restore = Colors.SeaGreen;
        Color seed = Colors.Gray;
        Color later = Colors.LightGray;

        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<(double Position, string Label)>();
        double y = 0;

        // Configurations from the bottom up, then the published figures on top.
        foreach (Row row in Enumerable.Reverse(rows))
        {
            Phases r = row.Report;
            double f = Us(r.FreezeCycles);
            double t = Us(r.TransferCycles);
            double s = Us(r.RestoreCycles);
            bars.Add(Segment(y, FloorUs, f, freeze));
            bars.Add(Segment(y, f, f + t, transfer));
            bars.Add(Segment(y, f + t, f + t + s, restore));
            ticks.Add((y, $"{Name(row.Timing)}, {row.Layout}, CC0 -> {row.To} ({row.Hops} hop{(row.Hops == 1 ? "" : "s")})"));
            Label(plot, f + t + s, y, string.Create(CultureInfo.InvariantCulture, $"{f:0.0} + {t:0.0} + {s:0.0} = {f + t + s:0.0} µs"));
            y++;
        }

        y += 0.5;
        bars.Add(Segment(y, LaterDowntimeLowMs * 1000, LaterDowntimeHighMs * 1000, later));
        ticks.Add((y, "later work, real MPPA-256: downtime"));
        Label(plot, LaterDowntimeHighMs * 1000, y, $"{LaterDowntimeLowMs:0}-{LaterDowntimeHighMs:0} ms (Vanz, Souto, Castro)");
        y++;
        bars.Add(Segment(y, FloorUs, SeedMigrationMs * 1000, seed));
        ticks.Add((y, "seed, 352.8 KB, real MPPA-256: mean migration time"));
        Label(plot, SeedMigrationMs * 1000, y, $"{SeedMigrationMs:0} ms (Vanz 2022)");

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        plot.Axes.Left.SetTicks(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
        double[] decades = [0, 1, 2, 3, 4, 5, 6, 7];
        string[] decadeLabels = ["1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s"];
        plot.Axes.Bottom.SetTicks(decades, decadeLabels);
        plot.Axes.SetLimits(0, 7, -0.7, y + 0.7);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"The seed's process moved ({rows[0].Report.TotalBytes / 1024.0:0.0} KB): modeled phases vs. published times"));
        plot.XLabel("time (log scale)");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "freeze (gather the kernel state)", FillColor = freeze });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "transfer (manifest + portals)", FillColor = transfer });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "restore (too thin to see on a log axis; its µs are in the labels)", FillColor = restore });
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, 1100, 600);
        plot.SaveSvg(Path.ChangeExtension(path, ".svg"), 1100, 600);

        static double Us(ulong cycles) => cycles * 1e6 / Mppa256.FrequencyHz;

        static Bar Segment(double position, double fromUs, double toUs, Color color) => new()
        {
            Position = position,
            ValueBase = Math.Log10(Math.Max(fromUs, FloorUs)),
            Value = Math.Log10(Math.Max(toUs, FloorUs)),
            FillColor = color,
            LineWidth = 0,
            Size = 0.7,
        };

        static void Label(Plot plot, double atUs, double position, string text)
        {
            var label = plot.Add.Text(" " + text, Math.Log10(Math.Max(atUs, FloorUs)), position);
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.MiddleLeft;
        }
    }

    /// <summary>A row of the figure: a move and its link bound; <see cref="Host"/> is null when no host time was measured (a sweep).</summary>
    public sealed record Row(NocTimingMode Timing, ProcessLayoutKind Layout, string To, int Hops, Phases Report, ulong Bound, HostTimes? Host);

    public sealed record HostTimes(double TotalUs, double QuantumUs, List<(string Label, double Us)> Steps);

    /// <summary>What the figure shows of a move: bytes per region and the modeled phases, from the kernel's report or from the statistics of a run.</summary>
    public sealed record Phases(long SectionBytes, long StackBytes, long KernelStateBytes, long ContextBytes, long IkcBytes, long ManifestBytes, long TotalBytes, ulong FreezeCycles, ulong TransferCycles, ulong RestoreCycles, ulong DowntimeCycles, double DowntimeMicroseconds)
    {
        public static Phases Of(MigrationReport r)
        {
            ArgumentNullException.ThrowIfNull(r);
            return new(r.SectionBytes, r.StackBytes, r.KernelStateBytes, r.ContextBytes, r.IkcBytes, r.ManifestBytes, r.TotalBytes, r.FreezeCycles, r.TransferCycles, r.RestoreCycles, r.DowntimeCycles, r.DowntimeMicroseconds);
        }

        /// <summary>A move of the <c>migrations</c> of a statistics file (<c>nanvix run --stats</c>).</summary>
        public static Phases Of(JsonElement move, string where)
        {
            long Bytes(string name) => (long)SweepResults.Count(move, name, $"migration: {where}: its move");
            ulong Cycles(string name) => SweepResults.Count(move, name, $"migration: {where}: its move");
            double micro = move.TryGetProperty("downtime_microseconds", out JsonElement us) && us.TryGetDouble(out double value)
                ? value
                : throw new FigureInputException($"migration: {where}: its move has no downtime_microseconds");
            return new(Bytes("section_bytes"), Bytes("stack_bytes"), Bytes("kernel_state_bytes"), Bytes("context_bytes"), Bytes("ikc_bytes"), Bytes("page_list_bytes"), Bytes("bytes"), Cycles("freeze_cycles"), Cycles("transfer_cycles"), Cycles("restore_cycles"), Cycles("downtime_cycles"), micro);
        }
    }
}
