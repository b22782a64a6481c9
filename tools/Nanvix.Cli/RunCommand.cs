using System.Text.Json;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Migration;

namespace Nanvix.Cli;

/// <summary>
/// <c>nanvix run [PROGRAM.elf] [args]</c>: runs one program (or the built-in demo) on a compute cluster of the MPPA-256
/// and exits with its status.
/// </summary>
public static class RunCommand
{
    /// <summary>Exit status for bad host input (a missing file, a malformed executable, an unwritable stats file).</summary>
    public const int BadInput = ExitStatus.BadInput;

    /// <summary>When the built-in demo moves to another cluster: early in its run, while its four workers are busy.</summary>
    public const ulong DemoMigrationCycle = 20_000;

    /// <summary>The machine <c>nanvix run</c> runs on.</summary>
    public static ProcessorSpec Machine() => Mppa256.Spec();

    public static int Execute(RunSettings settings, TextWriter output, TextWriter error, Stream? input)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string program = settings.ProgramPath ?? DemoProgram.Name;
        ProcessorSpec spec = Machine();
        byte[] file;
        if (settings.ProgramPath is null)
        {
            file = DemoProgram.Image();
        }
        else
        {
            // A flag this command does not know lands here as the program name: say so rather than "no such file".
            if (settings.ProgramPath.StartsWith('-') && !File.Exists(settings.ProgramPath))
            {
                error.WriteLine($"nanvix: run: unknown option '{settings.ProgramPath}' (arguments for the program that start with - go after --)");
                return BadInput;
            }

            file = ReadProgram(spec, settings.ProgramPath);
        }

        using var processor = new Processor(spec, settings.Timing);
        ICluster cluster = processor.Cluster(settings.Cluster);

        ElfImage image;
        try
        {
            image = ElfImage.Parse(file, cluster.Memory.Map[MemoryRegionNames.User].Size);
        }
        catch (ElfFormatException e)
        {
            error.WriteLine($"nanvix: {program}: {e.Message}");
            return BadInput;
        }

        // The whole processor runs (the services on IO0 included), so that the program can talk to them and move.
        var system = new Multikernel(processor, _ => new TextWriterConsole(output, error, input), settings.Layout, settings.Cache);
        int pid;
        try
        {
            pid = system.Spawn(cluster, image, [program, .. settings.Arguments]);
        }
        catch (KernelException e)
        {
            error.WriteLine($"nanvix: {program}: {e.Message}");
            return BadInput;
        }

        // Open the statistics file before running, so that a path that cannot be written costs no run.
        using FileStream? statsFile = settings.StatsPath is null ? null : HostFile.Create(settings.StatsPath, "the statistics file");

        // The built-in demo shows a migration too: it moves to the next cluster part-way through, unless told otherwise.
        if (settings.ProgramPath is null && settings.Migrations.Count == 0)
        {
            string next = settings.Cluster.Equals("CC1", StringComparison.OrdinalIgnoreCase) ? "CC2" : "CC1";
            settings = settings with { Migrations = [new MigrationRequest(DemoMigrationCycle, next)] };
        }

        RunWithMigrations(system, processor, pid, settings, error);
        ClusterExit ended = system.Exits.Last(e => e.Exit.Pid == pid);
        ProcessExit exit = ended.Exit;
        ICluster last = processor.Cluster(ended.Cluster);
        IClusterKernel kernel = system.Kernel(last);
        if (exit.Diagnostic is not null)
        {
            error.WriteLine($"nanvix: {exit.Diagnostic}");
        }

        if (settings.Verbose)
        {
            WriteSummary(settings, spec, last, kernel, exit, error);
        }

        if (settings.Verbose || settings.ProgramPath is null)
        {
            foreach (MigrationReport migration in system.Migrations)
            {
                error.WriteLine($"nanvix: migration: {migration}");
            }
        }

        if (statsFile is not null)
        {
            // Counts of every cluster the program ran on; the cores are those of the cluster it ended on.
            RunReport report = Report(settings, spec, last, kernel, program, exit) with
            {
                Instructions = system.Kernels.Aggregate(0UL, (sum, k) => sum + k.Statistics.Instructions),
                KernelCalls = system.Kernels.Aggregate(0UL, (sum, k) => sum + k.Statistics.KernelCalls),
                Cycles = system.Kernels.Max(k => k.Statistics.Cycles),
                Migrations = system.Migrations.Count == 0 ? null : [.. system.Migrations.Select(MigrationEntry.Of)],
            };
            report = report with { Microseconds = report.Cycles * 1e6 / spec.FrequencyHz };
            HostFile.Write(statsFile, settings.StatsPath!, "the statistics file", file =>
            {
                JsonSerializer.Serialize(file, report, RunReportJsonContext.Default.RunReport);
                file.WriteByte((byte)'\n');
            });
        }

        return exit.Status;
    }

    /// <summary>
    /// Runs the processor to the end, moving process <paramref name="pid"/> (or the PID a request names) as <c>--migrate</c> asks: each move starts
    /// at the first quantum boundary at or after its cycle (the time of the cluster the process is on), after the move
    /// before it has ended. A move that is refused, or whose cycle comes after the process ended, is reported on stderr.
    /// </summary>
    internal static void RunWithMigrations(Multikernel system, IProcessor processor, int pid, RunSettings settings, TextWriter error)
    {
        var tickets = settings.Migrations
            .OrderBy(m => m.Cycle)
            .Select(m => (Move: m, Ticket: system.RequestMigration(m.Pid ?? pid, processor.Cluster(m.Cluster), m.Cycle)))
            .ToList();
        system.RunToCompletion();
        foreach ((MigrationRequest move, MigrationTicket ticket) in tickets.Where(t => t.Ticket.State != MigrationState.Done))
        {
            error.WriteLine($"nanvix: --migrate {move}: not moved at cycle {ticket.Cycle}: {ticket.Refusal}");
        }
    }

    /// <summary>
    /// The bytes of the program file <paramref name="path"/>, refused unread when it is larger than the memory of a
    /// compute cluster of <paramref name="spec"/> (no program that big can load there).
    /// </summary>
    internal static byte[] ReadProgram(ProcessorSpec spec, string path)
    {
        long memory = spec.Clusters.First(c => c.Kind == ClusterKind.Compute).MemoryMap.Size;
        return HostFile.Read(path, (int)memory, $"the memory of a {spec.Name} compute cluster; no program that big can load");
    }

    /// <summary>The names <c>--layout</c> accepts, in the order of <see cref="ProcessLayoutKind"/>.</summary>
    public static string LayoutName(ProcessLayoutKind layout) => layout == ProcessLayoutKind.Scattered ? "scattered" : "uarea";

    private static void WriteSummary(RunSettings settings, ProcessorSpec spec, ICluster cluster, IClusterKernel kernel, ProcessExit exit, TextWriter error)
    {
        KernelStatistics stats = kernel.Statistics;
        error.WriteLine($"nanvix: {cluster.Name}: {spec.Name}, layout {LayoutName(settings.Layout)}, noc timing {settings.Timing.ToString().ToLowerInvariant()}, cache {(settings.Cache ? "on" : "off")}");
        error.WriteLine($"nanvix: {cluster.Name}: status {exit.Status}, {stats.Instructions} instructions, {stats.Cycles} cycles ({stats.Cycles * 1e6 / spec.FrequencyHz:0.0} us at {spec.FrequencyHz / 1e6:0} MHz), {stats.KernelCalls} kernel calls");
        for (int c = 0; c < cluster.Cores.Count; c++)
        {
            Arch.Core.Hart core = kernel.Core(c);
            if (core.Retired + core.Cycles > 0 && core.InstructionCache is { } icache && core.DataCache is { } dcache)
            {
                error.WriteLine($"nanvix: {cluster.Name} core {c}: I$ {icache.User}");
                error.WriteLine($"nanvix: {cluster.Name} core {c}: D$ user {dcache.User}; kernel {dcache.Kernel}");
            }
        }
    }

    private static RunReport Report(RunSettings settings, ProcessorSpec spec, ICluster cluster, IClusterKernel kernel, string program, ProcessExit exit)
    {
        var cores = new List<CoreReport>();
        for (int c = 0; c < cluster.Cores.Count; c++)
        {
            Arch.Core.Hart core = kernel.Core(c);
            if (core.Retired == 0 && core.Cycles == 0)
            {
                continue;
            }

            CacheReport? icache = core.InstructionCache is { } i ? CacheReport.From(i) : null;
            CacheReport? dcache = core.DataCache is { } d ? CacheReport.From(d) : null;
            cores.Add(new CoreReport(c, core.Retired, core.Cycles, icache, dcache));
        }

        KernelStatistics stats = kernel.Statistics;
        return new RunReport(
            spec.Name,
            cluster.Name,
            LayoutName(settings.Layout),
            settings.Timing.ToString().ToLowerInvariant(),
            settings.Cache,
            program,
            settings.Arguments,
            exit.Status,
            stats.Instructions,
            stats.Cycles,
            stats.KernelCalls,
            stats.Cycles * 1e6 / spec.FrequencyHz,
            cores);
    }
}
