using System.Text.Json;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Cli;

/// <summary>
/// One run of <c>nanvix run</c>, for a single program and for an image alike: boots the processor, starts the
/// workload's programs, runs every cluster and the NoC in one deterministic loop until all have ended (or a budget or
/// a signal stops it), moves processes as <c>--migrate</c> asks, and reports: one line per move (unless --quiet), the
/// summary (-v) and the statistics file (--stats), which count the same things.
/// </summary>
public static class RunSession
{
    /// <summary>What <see cref="RunReport.Stopped"/> says when <c>--max-cycles</c> or <c>--max-instructions</c> stopped the run.</summary>
    public const string StoppedByBudget = "budget";

    /// <summary>What <see cref="RunReport.Stopped"/> says when a signal (or <see cref="RunInterrupt"/>) stopped the run.</summary>
    public const string StoppedByInterrupt = "interrupted";

    /// <param name="reported">Given the run's statistics (what <c>--stats</c> writes) when it ends; a sweep keeps them.</param>
    /// <exception cref="HostInputException">A program cannot load, a cluster or a move names the wrong thing, the statistics cannot be written.</exception>
    public static int Execute(Workload workload, RunSettings settings, RunHost host, Action<RunReport>? reported = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        ProcessorSpec spec = MachineCatalog.Get(settings.Machine);
        if (settings.MissPenalty is { } penalty)
        {
            spec = spec.WithCosts(CycleCosts.Mppa256 with { CacheMissPenalty = penalty });
        }

        // Every program is checked before the processor boots, so that bad input costs no cluster memory.
        List<(WorkloadProgram Program, ClusterSpec Cluster, ElfImage Elf)> images = Load(spec, workload);
        using var processor = new Processor(spec, settings.Timing);
        var consoles = new List<PrefixedConsole>();
        IConsole ConsoleOf(ICluster cluster)
        {
            if (!workload.IsImage)
            {
                return new TextWriterConsole(host.Output, host.Error, host.Input);
            }

            var console = new PrefixedConsole(cluster.Name, host.Output, host.Error);
            consoles.Add(console);
            return console;
        }

        var system = new Multikernel(processor, ConsoleOf, settings.Layout, settings.Cache)
        {
            Engine = settings.Engine,
            InstructionCache = settings.InstructionCache,
            DataCache = settings.DataCache,
            UAreaGap = settings.UAreaGap,
            Annotate = settings.Annotate,
        };
        foreach (WorkloadLibraryEntry entry in workload.Library)
        {
            system.Spawner?.Register(entry.Name, entry.Elf);
        }

        var started = new List<(int Pid, WorkloadProgram Program, ICluster Cluster)>();
        foreach ((WorkloadProgram program, ClusterSpec where, ElfImage elf) in images)
        {
            ICluster cluster = processor.Clusters[where.Id];
            if (program.SpawnName is { } name)
            {
                system.Spawner?.Register(name, program.Elf);
            }

            try
            {
                started.Add((system.Spawn(cluster, elf, [program.StartName, .. program.Arguments]), program, cluster));
            }
            catch (KernelException e)
            {
                throw new HostInputException($"{program.Where}: {e.Message}");
            }
        }

        List<(MigrationRequest Move, MigrationTicket Ticket)> moves = RequestMoves(system, processor, workload, settings, started.ConvertAll(s => s.Pid));
        // Open the statistics file once the input is known good and before running, so that a path that cannot be
        // written costs no run and bad input leaves no empty file.
        using FileStream? statsFile = settings.StatsPath is null ? null : HostFile.Create(settings.StatsPath, "the statistics file");
        using FileStream? traceFile = settings.TracePath is null ? null : HostFile.Create(settings.TracePath, "the trace file");
        Trace.TraceRecorder? trace = traceFile is null ? null : new Trace.TraceRecorder(spec, settings.TraceKinds, settings.Cache);
        system.Observer = trace;

        var noc = new NocTally(processor.Noc, spec.Noc.Topology);
        ProgressLine? progress = host.Progress && !settings.Quiet ? new ProgressLine(host.Error) : null;
        string? stopped = null;
        long steps = 0;
        system.RunUntil(() =>
        {
            noc.CatchUp();
            trace?.CatchUp(processor.Noc);
            if (host.Interrupt.Signal != 0)
            {
                stopped = StoppedByInterrupt;
            }
            else if ((settings.MaxCycles is { } cycles && Cycles(system) >= cycles) || (settings.MaxInstructions is { } instructions && Instructions(system) >= instructions))
            {
                stopped = StoppedByBudget;
            }
            else if (progress is not null && (++steps & 63) == 0)
            {
                progress.Show(Cycles(system), Instructions(system));
            }

            return stopped is not null;
        });
        noc.CatchUp();
        progress?.Clear();
        consoles.ForEach(c => c.Flush());

        TextWriter error = host.Error;
        foreach (ClusterExit exit in system.Exits)
        {
            if (exit.Exit.Diagnostic is not null)
            {
                error.WriteLine($"nanvix: {exit.Exit.Diagnostic}");
            }
        }

        foreach ((MigrationRequest move, MigrationTicket ticket) in moves.Where(m => m.Ticket.State != MigrationState.Done))
        {
            string why = ticket.State == MigrationState.Refused ? $"refused at cycle {ticket.Cycle}: {ticket.Refusal}" : "the run stopped first";
            error.WriteLine($"nanvix: --migrate {move}: not moved (asked for cycle {move.Cycle}; {why})");
        }

        int status = Status(system, stopped, host.Interrupt.Signal);
        RunReport report = Report(workload, settings, spec, system, started, noc, status, stopped);
        if (stopped is not null)
        {
            int running = report.Programs.Count(p => p.Status is null);
            string reason = stopped == StoppedByBudget
                ? settings.MaxCycles is { } c && report.Cycles >= c ? $"--max-cycles {c} reached" : $"--max-instructions {settings.MaxInstructions} reached"
                : $"interrupted by {RunInterrupt.Name(host.Interrupt.Signal)}";
            error.WriteLine($"nanvix: stopped at cycle {report.Cycles} ({report.Instructions} instructions): {reason}; {running} process{(running == 1 ? "" : "es")} still running");
        }

        if (!settings.Quiet || settings.Verbose)
        {
            for (int i = 0; i < system.Migrations.Count; i++)
            {
                // Under the JIT the host time of a run's first move includes compiling the code of a move (none under NativeAOT).
                string note = i == 0 && System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? " (host time of a run's first move includes JIT warm-up)" : "";
                error.WriteLine($"nanvix: migration at cycle {system.Migrations[i].FreezeCycle}: {system.Migrations[i]}{note}");
            }
        }

        if (settings.Verbose)
        {
            RunSummary.WriteSummary(report, spec, settings, system, error);
        }

        if (settings.Annotate)
        {
            RunSummary.WriteAnnotation(report, error);
        }

        if (traceFile is not null)
        {
            Trace.TraceModel model = trace!.Build(processor.Noc, system.Migrations);
            HostFile.Write(traceFile, settings.TracePath!, "the trace file", file =>
            {
                if (settings.TracePath!.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    Trace.ChromeJsonWriter.Write(model, file);
                }
                else
                {
                    Trace.PerfettoWriter.Write(model, file);
                }
            });
        }

        reported?.Invoke(report);
        if (statsFile is not null)
        {
            HostFile.Write(statsFile, settings.StatsPath!, "the statistics file", file =>
            {
                JsonSerializer.Serialize(file, report, RunReportJsonContext.Default.RunReport);
                file.WriteByte((byte)'\n');
            });
        }

        return status;
    }

    /// <summary>
    /// Each program of <paramref name="workload"/> with the compute cluster it starts on and its parsed ELF image; a
    /// sweep calls it to check every run's programs before any run starts.
    /// </summary>
    /// <exception cref="HostInputException">A program names the wrong cluster or is not an executable that loads there.</exception>
    internal static List<(WorkloadProgram Program, ClusterSpec Cluster, ElfImage Elf)> Load(ProcessorSpec spec, Workload workload)
    {
        var images = new List<(WorkloadProgram Program, ClusterSpec Cluster, ElfImage Elf)>();
        foreach (WorkloadProgram program in workload.Programs)
        {
            ClusterSpec cluster = ComputeCluster(spec, program);
            try
            {
                images.Add((program, cluster, ElfImage.Parse(program.Elf, cluster.MemoryMap[MemoryRegionNames.User].Size)));
            }
            catch (ElfFormatException e)
            {
                throw new HostInputException($"{program.Where}: {e.Message}");
            }
        }

        return images;
    }

    /// <summary>The compute cluster a program starts on.</summary>
    private static ClusterSpec ComputeCluster(ProcessorSpec spec, WorkloadProgram program)
    {
        ClusterSpec cluster;
        try
        {
            cluster = spec.Cluster(program.Cluster);
        }
        catch (ArgumentException e)
        {
            throw new HostInputException($"{program.Where}: {e.Message}");
        }

        return cluster.Kind == ClusterKind.Compute
            ? cluster
            : throw new HostInputException($"{program.Where}: {cluster.Name} is an I/O cluster; programs run on compute clusters");
    }

    /// <summary>
    /// Asks for the moves of <c>--migrate</c>, in the order of their cycles: each starts at the first quantum boundary
    /// at or after its cycle (the time of the cluster the process is on), after the move before it has ended. The
    /// built-in demo moves to the next cluster part-way through, unless told otherwise.
    /// </summary>
    private static List<(MigrationRequest, MigrationTicket)> RequestMoves(Multikernel system, IProcessor processor, Workload workload, RunSettings settings, List<int> pids)
    {
        IReadOnlyList<MigrationRequest> requests = settings.Migrations;
        if (!workload.IsImage && settings.ProgramPath is null && requests.Count == 0)
        {
            ICluster[] compute = [.. processor.Clusters.Where(c => c.Kind == ClusterKind.Compute)];
            int here = Array.FindIndex(compute, c => c.Name == settings.Cluster);
            if (compute.Length > 1)
            {
                requests = [new MigrationRequest(RunCommand.DemoMigrationCycle, compute[(here + 1) % compute.Length].Name)];
            }
        }

        foreach (MigrationRequest move in requests)
        {
            if (move.Pid is { } pid && !pids.Contains(pid))
            {
                throw new HostInputException($"--migrate {move}: no process {pid} (this run starts process{(pids.Count == 1 ? "" : "es")} {string.Join(", ", pids)})");
            }
        }

        return [.. requests
            .OrderBy(m => m.Cycle)
            .Select(m => (m, system.RequestMigration(m.Pid ?? pids[0], processor.Cluster(m.Cluster), m.Cycle, m.Mode, settings.PrecopyRounds)))];
    }

    /// <summary>The run's status: the budget's or the signal's when one stopped it, else 0 when every process exited with 0, else the first non-zero status.</summary>
    private static int Status(Multikernel system, string? stopped, int signal)
    {
        if (stopped == StoppedByBudget)
        {
            return ExitStatus.Budget;
        }

        if (stopped == StoppedByInterrupt)
        {
            return ExitStatus.Interrupted(signal);
        }

        foreach (ClusterExit exit in system.Exits)
        {
            if (exit.Exit.Status != 0)
            {
                return exit.Exit.Status;
            }
        }

        return ExitStatus.Success;
    }

    private static ulong Cycles(Multikernel system)
    {
        ulong cycles = 0;
        foreach (IClusterKernel kernel in system.Kernels)
        {
            cycles = Math.Max(cycles, kernel.Statistics.Cycles);
        }

        return cycles;
    }

    private static ulong Instructions(Multikernel system)
    {
        ulong instructions = 0;
        foreach (IClusterKernel kernel in system.Kernels)
        {
            instructions += kernel.Statistics.Instructions;
        }

        return instructions;
    }

    private static RunReport Report(Workload workload, RunSettings settings, ProcessorSpec spec, Multikernel system, List<(int Pid, WorkloadProgram Program, ICluster Cluster)> started, NocTally noc, int status, string? stopped)
    {
        var programs = new List<ProgramReport>();
        foreach ((int pid, WorkloadProgram program, ICluster cluster) in started)
        {
            ProcessExit? exit = system.Exits.FirstOrDefault(e => e.Exit.Pid == pid)?.Exit;
            programs.Add(Program(system, pid, program.Name, program.Arguments, exit, cluster.Name));
        }

        // Processes the spawn service started: known by their pid and where they ran.
        foreach (ClusterExit ended in system.Exits.Where(e => !started.Exists(s => s.Pid == e.Exit.Pid)).OrderBy(e => e.Exit.Pid))
        {
            string first = system.Migrations.FirstOrDefault(m => m.Pid == ended.Exit.Pid)?.From ?? ended.Cluster;
            programs.Add(Program(system, ended.Exit.Pid, null, null, ended.Exit, first));
        }

        // The clusters in the order the programs ran on them, then any other that ran code (by number).
        var order = new List<string>();
        foreach (string name in programs.SelectMany(p => p.Clusters).Concat(system.Kernels.Select(k => k.Cluster.Name)))
        {
            if (!order.Contains(name))
            {
                order.Add(name);
            }
        }

        var symbols = new ProgramSymbols(workload, started.Select(s => (s.Pid, s.Program)), system.Spawner);
        var clusters = new List<ClusterReport>();
        foreach (string name in order)
        {
            IClusterKernel? kernel = system.Kernels.FirstOrDefault(k => k.Cluster.Name == name);
            if (kernel is not null && ClusterOf(kernel, spec, symbols) is { Cores.Count: > 0 } report)
            {
                clusters.Add(report);
            }
        }

        ulong cycles = clusters.Count == 0 ? 0 : clusters.Max(c => c.Cycles);
        bool single = !workload.IsImage;
        return new RunReport
        {
            Machine = spec.Name,
            Cluster = single ? programs[0].Clusters[^1] : null,
            Layout = RunCommand.LayoutName(settings.Layout),
            Timing = settings.Timing.ToString().ToLowerInvariant(),
            Cache = settings.Cache,
            Icache = settings.Cache ? CacheOption.Describe(settings.InstructionCache ?? spec.Clusters.First(c => c.Kind == ClusterKind.Compute).InstructionCache) : null,
            Dcache = settings.Cache ? CacheOption.Describe(settings.DataCache ?? spec.Clusters.First(c => c.Kind == ClusterKind.Compute).DataCache) : null,
            MissPenalty = settings.Cache ? settings.MissPenalty ?? CycleCosts.Mppa256.CacheMissPenalty : null,
            UareaGap = settings.UAreaGap == 0 ? null : settings.UAreaGap,
            Program = single ? programs[0].Program : null,
            Arguments = single ? programs[0].Arguments : null,
            Status = status,
            Stopped = stopped,
            Instructions = clusters.Aggregate(0UL, (sum, c) => sum + c.Instructions),
            Cycles = cycles,
            KernelCalls = clusters.Aggregate(0UL, (sum, c) => sum + c.KernelCalls),
            Microseconds = cycles * 1e6 / spec.FrequencyHz,
            Programs = programs,
            Clusters = clusters,
            Noc = noc.Report(),
            Migrations = system.Migrations.Count == 0 ? null : [.. system.Migrations.Select(MigrationEntry.Of)],
        };
    }

    /// <summary>
    /// Process <paramref name="pid"/>: the clusters it ran on, in order (where it started, then each move's target),
    /// and what each of them counted for it.
    /// </summary>
    private static ProgramReport Program(Multikernel system, int pid, string? name, IReadOnlyList<string>? arguments, ProcessExit? exit, string first)
    {
        List<string> visits = [first, .. system.Migrations.Where(m => m.Pid == pid).Select(m => m.To)];
        var counts = new List<ProgramClusterReport>();
        foreach (string cluster in visits.Distinct())
        {
            ProcessStatistics stats = system.Kernels.FirstOrDefault(k => k.Cluster.Name == cluster)?.StatisticsOf(pid) ?? default;
            counts.Add(new ProgramClusterReport(cluster, stats.Instructions, stats.KernelCalls));
        }

        return new ProgramReport(
            pid,
            name,
            arguments,
            exit?.Status,
            exit?.Diagnostic,
            visits,
            counts.Aggregate(0UL, (sum, c) => sum + c.Instructions),
            counts.Aggregate(0UL, (sum, c) => sum + c.KernelCalls),
            counts);
    }

    private static ClusterReport ClusterOf(IClusterKernel kernel, ProcessorSpec spec, ProgramSymbols symbols)
    {
        var cores = new List<CoreReport>();
        for (int c = 0; c < kernel.Cluster.Cores.Count; c++)
        {
            Hal.Processor.ICore core = kernel.Core(c);
            if (core.Retired == 0 && core.Cycles == 0)
            {
                continue;
            }

            CacheReport? icache = core.InstructionCache is { } i ? CacheReport.From(i) : null;
            CacheReport? dcache = core.DataCache is { } d ? CacheReport.From(d) : null;
            cores.Add(new CoreReport(c, core.Retired, core.Cycles, BranchReport.From(core, kernel.KernelData), icache, dcache));
        }

        KernelStatistics stats = kernel.Statistics;
        bool cached = cores.Any(c => c.Dcache is not null);
        return new ClusterReport(kernel.Cluster.Name, stats.Instructions, stats.Cycles, stats.KernelCalls, stats.Cycles * 1e6 / spec.FrequencyHz, cores, cached ? KernelDataReport.Of(kernel.KernelData) : null, KernelTextReport.Of(kernel.KernelData, cached),
            kernel.KernelData.Misses is { } map ? AnnotateReport.Of(kernel, map) : null,
            kernel.UserMisses is { } log ? UserAnnotateReport.Of(log, symbols) : null);
    }
}
