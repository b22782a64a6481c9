using System.Text.Json;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Cli;

/// <summary>What <c>nanvix run</c> prints after a run on stderr: the <c>-v</c> summary and the <c>--annotate</c> lines, from the run's report.</summary>
internal static class RunSummary
{
    /// <summary>
    /// The --annotate lines: per cluster, the kernel fields with the most D$ misses, the kernel paths' I$ misses, and the
    /// user functions with the most I$ and D$ misses.
    /// </summary>
    public static void WriteAnnotation(RunReport report, TextWriter error)
    {
        const int Shown = 20;
        foreach (ClusterReport cluster in report.Clusters)
        {
            IReadOnlyList<AnnotateReport> rows = cluster.Annotate ?? [];
            ulong total = rows.Aggregate(0UL, (sum, r) => sum + r.Misses);
            error.WriteLine($"nanvix: annotate {cluster.Cluster}: {total} kernel D$ misses at {rows.Count} fields{(rows.Count > Shown ? $", the {Shown} with most" : "")}:");
            foreach (AnnotateReport row in rows.Take(Shown))
            {
                error.WriteLine($"nanvix:   {row.Misses,7} misses ({Percent(row.Compulsory, row.Misses)} compulsory, {Percent(row.Capacity, row.Misses)} capacity, {Percent(row.Conflict, row.Misses)} conflict)  {row.Structure}: {row.Field}");
            }

            IEnumerable<KernelTextReport> paths = (cluster.KernelText ?? []).Where(t => t.Icache is { Misses: > 0 }).OrderByDescending(t => t.Icache!.Misses).ThenBy(t => t.Path, StringComparer.Ordinal);
            foreach (KernelTextReport path in paths.Take(Shown))
            {
                CacheCounters i = path.Icache!;
                error.WriteLine($"nanvix:   {i.Misses,7} kernel I$ misses ({Percent(i.Compulsory, i.Misses)} compulsory, {Percent(i.Capacity, i.Misses)} capacity, {Percent(i.Conflict, i.Misses)} conflict)  path {path.Path} ({path.Executions} runs)");
            }

            IReadOnlyList<UserAnnotateReport> functions = cluster.AnnotateUser ?? [];
            ulong fetches = functions.Aggregate(0UL, (sum, f) => sum + f.Icache.Misses);
            ulong data = functions.Aggregate(0UL, (sum, f) => sum + f.Dcache.Misses);
            error.WriteLine($"nanvix: annotate {cluster.Cluster}: {fetches} user I$ and {data} user D$ misses in {functions.Count} functions{(functions.Count > Shown ? $", the {Shown} with most" : "")}:");
            foreach (UserAnnotateReport f in functions.Take(Shown))
            {
                error.WriteLine($"nanvix:   {f.Icache.Misses,7} I$ {Split(f.Icache),-50} {f.Dcache.Misses,7} D$ {Split(f.Dcache),-50} {f.Program}: {f.Function}");
            }
        }

        static string Percent(ulong part, ulong whole) => whole == 0 ? "0 %" : $"{part * 100.0 / whole:0} %";

        static string Split(MissesReport m) => m.Misses == 0 ? "" : $"({Percent(m.Compulsory, m.Misses)} compulsory, {Percent(m.Capacity, m.Misses)} capacity, {Percent(m.Conflict, m.Misses)} conflict)";
    }

    /// <summary>The -v lines: the configuration, each program, each cluster (with its caches), the totals, the NoC; the same counts as the statistics file.</summary>
    public static void WriteSummary(RunReport report, ProcessorSpec spec, RunSettings settings, Multikernel system, TextWriter error)
    {
        string Time(ulong cycles) => $"{cycles} cycles ({cycles * 1e6 / spec.FrequencyHz:0.0} us at {spec.FrequencyHz / 1e6:0} MHz)";
        error.WriteLine($"nanvix: {spec.Name}, layout {report.Layout}, noc timing {report.Timing}, cache {(settings.Cache ? $"on (I$ {report.Icache}, D$ {report.Dcache}, miss penalty {report.MissPenalty})" : "off")}");
        foreach (ProgramReport program in report.Programs)
        {
            string how = program.Status is { } s ? $"status {s}" : "still running";
            string where = program.PerCluster.Count == 1 ? "" : $" ({string.Join(", ", program.PerCluster.Select(c => $"{c.Cluster} {c.Instructions}"))})";
            error.WriteLine($"nanvix: process {program.Pid} ({program.Program ?? "started by the spawn service"}): {how}, on {string.Join(" -> ", program.Clusters)}, {program.Instructions} instructions{where}, {program.KernelCalls} kernel calls");
        }

        foreach (ClusterReport cluster in report.Clusters)
        {
            error.WriteLine($"nanvix: {cluster.Cluster}: {cluster.Instructions} instructions, {Time(cluster.Cycles)}, {cluster.KernelCalls} kernel calls");
            IClusterKernel kernel = system.Kernels.First(k => k.Cluster.Name == cluster.Cluster);
            foreach (CoreReport core in cluster.Cores)
            {
                Hal.Processor.ICore hart = kernel.Core(core.Core);
                error.WriteLine($"nanvix: {cluster.Cluster} core {core.Core}: branches: user {core.Branches.UserTaken} taken, {core.Branches.UserNotTaken} not taken; kernel {core.Branches.Kernel}");
                if (hart.InstructionCache is { } icache && hart.DataCache is { } dcache)
                {
                    error.WriteLine($"nanvix: {cluster.Cluster} core {core.Core}: I$ user {icache.User}; kernel {icache.Kernel}");
                    error.WriteLine($"nanvix: {cluster.Cluster} core {core.Core}: D$ user {dcache.User}; kernel {dcache.Kernel}");
                }
            }

            if (cluster.KernelText is { Count: > 0 } text)
            {
                ulong instructions = text.Aggregate(0UL, (sum, t) => sum + t.Instructions);
                ulong branches = text.Aggregate(0UL, (sum, t) => sum + t.Branches);
                string fetches = text.Any(t => t.Icache is not null)
                    ? $"; kernel I$ by path (accesses/misses): {string.Join(", ", text.Where(t => t.Icache is { Accesses: > 0 }).Select(t => $"{t.Path} {t.Icache!.Accesses}/{t.Icache.Misses}"))}"
                    : "";
                error.WriteLine($"nanvix: {cluster.Cluster} kernel text: {instructions} instructions, {branches} branches in {text.Aggregate(0UL, (sum, t) => sum + t.Executions)} paths{fetches}");
            }

            if (cluster.KernelData is { Count: > 0 } data)
            {
                error.WriteLine($"nanvix: {cluster.Cluster} kernel D$ by structure: {string.Join(", ", data.Select(d => $"{d.Structure} {d.Counts.Accesses}/{d.Counts.Misses}"))} (accesses/misses)");
            }
        }

        error.WriteLine($"nanvix: total: status {report.Status}, {report.Instructions} instructions, {Time(report.Cycles)}, {report.KernelCalls} kernel calls");
        NocReport noc = report.Noc;
        if (noc.Transfers > 0)
        {
            string busiest = noc.BusiestLink is { } link ? $"; busiest link {link.Link}: {link.Transfers} transfers, {link.WireBytes} bytes" : "";
            error.WriteLine($"nanvix: noc: {noc.Transfers} transfers, {noc.Bytes} bytes ({noc.WireBytes} on the wire){busiest}");
        }
    }
}
