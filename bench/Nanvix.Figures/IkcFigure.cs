using System.Globalization;
using System.Text.RegularExpressions;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// Nanvix's IKC ping-pong benchmarks as user programs (user/bin/portal.elf, pingpong.elf) between CC0 and CC1, in
/// both timing modes: portal throughput from 4 to 64 KB and the 120-byte mailbox round trip, beside the figures
/// published for the MPPA-256 (Souto 2019; Penna et al., JPDC 2021).
/// </summary>
public static class IkcFigure
{
    private const int Rounds = 5;

    /// <summary>Published portal ping-pong throughput on the MPPA-256, MB/s, at 4 and 64 KB.</summary>
    private static readonly (int Size, double MBps)[] Published = [(4096, 63), (65536, 89)];

    public static void Write(TextWriter table, string directory)
    {
        int[] sizes = [4096, 8192, 16384, 32768, 65536];
        var throughput = new Dictionary<NocTimingMode, double[]>();
        foreach (NocTimingMode mode in (NocTimingMode[])[NocTimingMode.Hardware, NocTimingMode.Nanvix])
        {
            throughput[mode] = sizes.Select(size => 2.0 * size / RoundTripNs("portal", mode, size) * 1000).ToArray();
        }

        table.WriteLine($"Portal ping-pong CC0 <-> CC1 (1 hop), {Rounds} round trips, throughput = 2 x size / round trip:");
        table.WriteLine();
        table.WriteLine("| size | hardware mode | nanvix mode | published (MPPA-256) |");
        table.WriteLine("|---:|---:|---:|---:|");
        for (int i = 0; i < sizes.Length; i++)
        {
            string reference = Published.FirstOrDefault(p => p.Size == sizes[i]) is { MBps: > 0 } p ? $"{p.MBps:0} MB/s" : "";
            table.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {sizes[i] / 1024} KB | {throughput[NocTimingMode.Hardware][i]:0} MB/s | {throughput[NocTimingMode.Nanvix][i]:0.0} MB/s | {reference} |"));
        }

        double hardwareMailbox = RoundTripNs("pingpong", NocTimingMode.Hardware, 120);
        double nanvixMailbox = RoundTripNs("pingpong", NocTimingMode.Nanvix, 120);
        table.WriteLine();
        table.WriteLine("Mailbox ping-pong CC0 <-> CC1, 120 bytes, round trip:");
        table.WriteLine();
        table.WriteLine("| hardware mode | nanvix mode | published (MPPA-256) |");
        table.WriteLine("|---:|---:|---:|");
        table.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {hardwareMailbox / 2.5:0} cycles ({hardwareMailbox / 1000:0.0} us) | {nanvixMailbox / 2.5:0} cycles ({nanvixMailbox / 1000:0.0} us) | 75 600 cycles (189 us) |"));

        int[] gatherSizes = [4096, 16384, 65536];
        table.WriteLine();
        table.WriteLine("All-gather over 16 compute clusters (portals; every cluster sends its block to the 15 others), aggregate throughput = 16 x 15 x size / time on CC0:");
        table.WriteLine();
        table.WriteLine("| size | hardware mode | nanvix mode | published (MPPA-256) |");
        table.WriteLine("|---:|---:|---:|---:|");
        double[] allGatherNanvix = new double[gatherSizes.Length];
        for (int i = 0; i < gatherSizes.Length; i++)
        {
            int size = gatherSizes[i];
            string reference = size == 4096 ? "133 MB/s" : size == 65536 ? "294 MB/s" : "";
            allGatherNanvix[i] = AllGatherMBps(NocTimingMode.Nanvix, size);
            table.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size / 1024} KB | {AllGatherMBps(NocTimingMode.Hardware, size):0} MB/s | {allGatherNanvix[i]:0} MB/s | {reference} |"));
        }

        PlotAgainstPublished(
            Path.Combine(directory, "ikc-allgather"),
            "All-gather over 16 clusters, aggregate throughput",
            "block size (KB)",
            gatherSizes.Select(s => s / 1024.0).ToArray(),
            allGatherNanvix,
            [(4.0, 133.0), (64.0, 294.0)],
            550);

        table.WriteLine();
        table.WriteLine("Gather (15 clusters write to CC0) and broadcast (CC0 writes to 15 clusters in turn) with portals, throughput = 15 x size / time on CC0:");
        table.WriteLine();
        table.WriteLine("| size | gather, hardware | gather, nanvix | broadcast, hardware | broadcast, nanvix |");
        table.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (int size in gatherSizes)
        {
            table.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {size / 1024} KB | {CollectiveMBps("gather", NocTimingMode.Hardware, size):0} MB/s | {CollectiveMBps("gather", NocTimingMode.Nanvix, size):0.0} MB/s | {CollectiveMBps("broadcast", NocTimingMode.Hardware, size):0} MB/s | {CollectiveMBps("broadcast", NocTimingMode.Nanvix, size):0.0} MB/s |"));
        }

        PlotAgainstPublished(
            Path.Combine(directory, "ikc-portal"),
            "Portal ping-pong throughput, CC0 <-> CC1",
            "transfer size (KB)",
            sizes.Select(s => s / 1024.0).ToArray(),
            throughput[NocTimingMode.Nanvix],
            [.. Published.Select(p => (p.Size / 1024.0, p.MBps))],
            110);
    }

    /// <summary>The nanvix-mode curve beside the published points, as PNG and SVG at <paramref name="path"/>.</summary>
    private static void PlotAgainstPublished(string path, string title, string xLabel, double[] xs, double[] modeled, (double X, double MBps)[] published, double top)
    {
        var plot = new Plot();
        plot.Add.Scatter(xs, modeled).LegendText = "nanvix timing (model)";
        var points = plot.Add.Scatter(published.Select(p => p.X).ToArray(), published.Select(p => p.MBps).ToArray());
        points.LegendText = "published, MPPA-256";
        points.LineWidth = 0;
        points.MarkerSize = 12;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("MB/s");
        plot.Axes.SetLimitsY(0, top);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path + ".png", 800, 450);
        plot.SaveSvg(path + ".svg", 800, 450);
    }

    /// <summary>Gather or broadcast of <paramref name="size"/>-byte blocks over the 16 compute clusters; MB/s as CC0 measures it.</summary>
    private static double CollectiveMBps(string collective, NocTimingMode mode, int size) =>
        15.0 * size / OnSixteenClustersNs("collective", [collective, "16", $"{size}"], mode) * 1000;

    /// <summary>All-gather of <paramref name="size"/>-byte blocks over the 16 compute clusters; aggregate MB/s as CC0 measures it.</summary>
    private static double AllGatherMBps(NocTimingMode mode, int size) =>
        16.0 * 15 * size / OnSixteenClustersNs("allgather", ["16", $"{size}"], mode) * 1000;

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> on all 16 compute clusters; the ns CC0 reports.</summary>
    private static double OnSixteenClustersNs(string program, string[] arguments, NocTimingMode mode)
    {
        Console.Error.Write($"\rikc: {program} {string.Join(' ', arguments)} {mode}      ");
        using var processor = new Processor(Mppa256.Spec(), mode);
        var output = new StringWriter();
        var system = new Multikernel(processor, cluster => new PrefixedConsole(cluster.Name, output, output));
        byte[] image = File.ReadAllBytes(Path.Combine("user", "bin", program + ".elf"));
        for (int c = 0; c < 16; c++)
        {
            system.Spawn(processor.Cluster($"CC{c}"), ElfImage.Parse(image, Mppa256.UserBytes), [program, .. arguments]);
        }

        system.RunToCompletion();
        Match match = Regex.Match(output.ToString(), @"bytes each, (\d+) ns");
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} {mode}: {output}");
    }

    /// <summary>Runs the ping side on CC0 and the pong side on CC1; returns the ping's simulated ns per round trip.</summary>
    private static double RoundTripNs(string program, NocTimingMode mode, int size)
    {
        Console.Error.Write($"\rikc: {program} {mode} {size} bytes      ");
        using var processor = new Processor(Mppa256.Spec(), mode);
        var output = new StringWriter();
        var system = new Multikernel(processor, cluster => new PrefixedConsole(cluster.Name, output, output));
        byte[] image = File.ReadAllBytes(Path.Combine("user", "bin", program + ".elf"));
        int ping = processor.Cluster("CC0").NocNodes[0];
        int pong = processor.Cluster("CC1").NocNodes[0];
        system.Spawn(processor.Cluster("CC0"), ElfImage.Parse(image, Mppa256.UserBytes), [program, "ping", $"{pong}", $"{Rounds}", $"{size}"]);
        system.Spawn(processor.Cluster("CC1"), ElfImage.Parse(image, Mppa256.UserBytes), [program, "pong", $"{ping}", $"{Rounds}", $"{size}"]);
        system.RunToCompletion();
        Match match = Regex.Match(output.ToString(), @"ok, (\d+) ns each");
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{program} {mode} {size}: {output}");
    }
}
