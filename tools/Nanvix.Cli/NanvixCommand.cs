using System.CommandLine;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Cli;

/// <summary>The <c>nanvix</c> command line: one subcommand per job.</summary>
public static class NanvixCommand
{
    /// <summary>
    /// Parses <paramref name="args"/>, runs the chosen job, and returns the process exit status. No exception leaves:
    /// bad input is one line <c>nanvix: ...</c> and <see cref="ExitStatus.BadInput"/>; anything else is a bug in
    /// nanvix, reported in one line that names a file with the details, and <see cref="ExitStatus.InternalError"/>.
    /// </summary>
    /// <param name="interrupt">Where a signal (or a test) asks a run to stop; a run then ends as its budget would.</param>
    /// <param name="progress">Whether a long run shows a progress line on <paramref name="error"/> (a terminal).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream? input = null, RunInterrupt? interrupt = null, bool progress = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return Invoke(args, new RunHost(output, error, input, interrupt ?? new RunInterrupt(), progress));
        }
        catch (HostInputException e)
        {
            error.WriteLine($"nanvix: {e.Message}");
            return ExitStatus.BadInput;
        }
        catch (IOException e)
        {
            // The host refused a read or a write of the standard streams (a closed pipe, a full disk): not a bug.
            error.WriteLine($"nanvix: {e.Message.ReplaceLineEndings(" ")}");
            return ExitStatus.BadInput;
        }
        catch (Exception e)
        {
            return InternalError(args, e, error);
        }
    }

    private static int Invoke(string[] args, RunHost host)
    {
        TextWriter error = host.Error;
        RootCommand root = Build(host);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line per mistake on stderr, and where to look; the help text stays out of the output.
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
            {
                error.WriteLine($"nanvix: {OptionOf(parseError)}{OneLine(parseError.Message)}");
            }

            Command command = parsed.CommandResult.Command;
            error.WriteLine(command is RootCommand ? "Try 'nanvix --help'." : $"Try 'nanvix {command.Name} --help'.");
            return ExitStatus.BadInput;
        }

        // System.CommandLine would catch an exception of an action, print it with its stack trace and return 1, which
        // a shell cannot tell from a program that exits with 1: let it come to Run instead. Signals are the run's.
        var configuration = new InvocationConfiguration
        {
            Output = host.Output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return parsed.Invoke(configuration);
    }

    /// <summary>
    /// A bug: one line that says so and where the details are (the exception with its stack trace, the arguments), in
    /// a file of the temp folder, so that a report can carry them.
    /// </summary>
    private static int InternalError(string[] args, Exception exception, TextWriter error)
    {
        string summary = $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
        try
        {
            string path = Path.Combine(Path.GetTempPath(), $"nanvix-internal-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
            File.WriteAllText(path, $"nanvix {string.Join(' ', args)}\n{DateTime.UtcNow:O}\n\n{exception}\n");
            error.WriteLine($"nanvix: internal error (a bug in nanvix, not in the input): {summary}; details in {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"nanvix: internal error (a bug in nanvix, not in the input): {summary} (the details could not be written: {e.Message})");
        }

        return ExitStatus.InternalError;
    }

    private static RootCommand Build(RunHost host)
    {
        TextWriter output = host.Output;
        TextWriter error = host.Error;
        Option<string> machine = MachineOption("Processor to describe");
        var info = new Command("info", "Print the processor: clusters, cores, memory maps, NoC topology and timing");
        info.Options.Add(machine);
        info.SetAction(parse =>
        {
            ProcessorSpec spec = MachineCatalog.Get(parse.GetValue(machine)!);
            ProcessorReport.Write(spec, output);
            return 0;
        });

        var program = new Argument<string?>("program")
        {
            Description = "Static RV32IMA ELF executable to run; without one, the built-in multithreaded demo",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var programArguments = new Argument<string[]>("args")
        {
            Description = "Arguments for the program (put them after -- when they start with -)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the configuration, and per program, per cluster and in total the instructions, cycles, kernel calls, caches and NoC traffic when the run ends" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print no line per migration and no progress line (errors, and -v, still print)" };
        var annotate = new Option<bool>("--annotate") { Description = "With --cache on, name every kernel D$ miss by kernel structure and field (3C split), the kernel paths' I$ misses, and every user I$ and D$ miss by program and function (ELF symbols); on stderr and in --stats" };
        Option<string> cache = Choice("--cache", "Model the per-core I$ and D$ (the machine's geometry; 8 KB, 2-way, 64 B lines on the MPPA-256); misses then cost cycles", "off", "on", "off");
        Option<string> engine = Choice("--engine", "How the cores execute: fast, or step (the reference stepping engine); both give the same output and statistics", "fast", "fast", "step");
        Option<string> runMachine = MachineOption("Processor to run on");
        var cluster = new Option<string>("--cluster", "-c")
        {
            Description = "Compute cluster that runs the program (CC0..CC15 on the MPPA-256); not with --image, whose programs say where they start",
            DefaultValueFactory = _ => "CC0",
        };
        Option<string> layout = LayoutOption();
        Option<string> timing = Choice("--timing", "NoC timing mode: hardware (hops, links, contention) or nanvix (the measured software path)", "hardware", "hardware", "nanvix");
        var stats = new Option<string?>("--stats")
        {
            Description = "Write the configuration, status, and per program, per cluster and per core the instructions, cycles, kernel calls and caches, the NoC traffic and the migrations as JSON to this file",
            HelpName = "PATH.json",
        };
        var icache = new Option<string?>("--icache")
        {
            Description = "With --cache on, every compute core's I$: size in bytes or with K, ways and line size (the machine's where left out)",
            HelpName = "SIZE[:WAYS[:LINE]]",
        };
        var dcache = new Option<string?>("--dcache")
        {
            Description = "With --cache on, every compute core's D$, as --icache (e.g. 2K to stand in for the rest of the kernel's footprint)",
            HelpName = "SIZE[:WAYS[:LINE]]",
        };
        Option<ulong?> uareaGap = Count("--uarea-gap", "With --layout uarea, bytes left between one User Area and the next (whole 64-byte lines, at most 16384): moves the User Areas onto other cache sets", "bytes");
        Option<ulong?> precopyRounds = Count("--precopy-rounds", $"Pre-copy rounds a move with mode precopy makes at most before it freezes the process (1 to 64; default {Nanvix.Kernel.Migration.MigrationDaemon.DefaultPrecopyRounds})", "rounds");
        Option<ulong?> missPenalty = Count("--miss-penalty", $"With --cache on, the cycles a cache miss costs (the MPPA-256 model's: {CycleCosts.Mppa256.CacheMissPenalty})", "cycles");
        var trace = new Option<string?>("--trace")
        {
            Description = "Write a timeline of the run that Perfetto UI opens (protobuf; Chrome's JSON format when PATH ends in .json): per cluster its cores' quanta and kernel calls, NoC transfers, moves and counters, in simulated time",
            HelpName = "PATH.perfetto",
        };
        var traceFilter = new Option<string?>("--trace-filter")
        {
            Description = $"Kinds of events the trace holds, separated by commas (default all: {string.Join(",", Trace.TraceFilter.Names)})",
            HelpName = "KINDS",
        };
        var migrate = new Option<string[]>("--migrate")
        {
            Description = "Move the program (or process PID, with an image) to CLUSTER once its cluster's time reaches CYCLE (cycles since boot); repeatable",
            HelpName = "CYCLE:CLUSTER[:PID]",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        Option<ulong?> maxCycles = Count("--max-cycles", "Stop the run when simulated time reaches N cycles (at the next quantum boundary), with the summary and the statistics; exit status 124", "cycles");
        Option<ulong?> maxInstructions = Count("--max-instructions", "Stop the run when the cores have retired N instructions (at the next quantum boundary), as --max-cycles does", "instructions");
        var image = new Option<string?>("--image")
        {
            Description = "Start every program of an image file (JSON: programs with cluster, program, args) and run them together",
            HelpName = "IMAGE.json",
        };
        var argv0 = new Option<string?>("--argv0")
        {
            Description = "The program's argv[0] as it sees it (default: the path as given; \"demo\" for the demo); the statistics still name the program by its path. Not with --image",
            HelpName = "NAME",
        };
        var run = new Command("run", "Run a RISC-V program (or the built-in demo, or an image of several) on compute clusters of the MPPA-256; exits with the program's status");
        run.Arguments.Add(program);
        run.Arguments.Add(programArguments);
        run.Options.Add(runMachine);
        run.Options.Add(cluster);
        run.Options.Add(layout);
        run.Options.Add(timing);
        run.Options.Add(cache);
        run.Options.Add(engine);
        run.Options.Add(stats);
        run.Options.Add(icache);
        run.Options.Add(dcache);
        run.Options.Add(missPenalty);
        run.Options.Add(uareaGap);
        run.Options.Add(precopyRounds);
        run.Options.Add(trace);
        run.Options.Add(traceFilter);
        run.Options.Add(verbose);
        run.Options.Add(quiet);
        run.Options.Add(annotate);
        run.Options.Add(image);
        run.Options.Add(migrate);
        run.Options.Add(maxCycles);
        run.Options.Add(maxInstructions);
        run.Options.Add(argv0);

        // The clusters --cluster and --migrate may name depend on --machine, so they are checked with the whole command.
        run.Validators.Add(result =>
        {
            // A value its option's parser refused throws when read; the parser reports it, so here it reads as unset.
            T? Value<T>(Option<T> option)
            {
                try
                {
                    return result.GetValue(option);
                }
                catch (InvalidOperationException)
                {
                    return default;
                }
            }

            // Defaults are not in the result yet when a command is validated.
            ProcessorSpec spec = MachineCatalog.Get(Value(runMachine) ?? Mppa256.MachineName);
            string[] computeClusters = ComputeClusters(spec);
            string name = Value(cluster) ?? "CC0";
            if (result.GetResult(cluster) is { Implicit: false } && Value(image) is not null)
            {
                result.AddError("--cluster: an image says where each of its programs starts; give no --cluster with --image");
            }
            else if (!computeClusters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--cluster: '{name}' is not a compute cluster of {spec.Name} (compute clusters: {string.Join(", ", computeClusters)})");
            }

            foreach (string text in Value(migrate) ?? [])
            {
                if (!MigrationRequest.TryParse(text, computeClusters, out _, out string? problem))
                {
                    result.AddError($"--migrate: {problem}");
                }
            }

            ClusterSpec compute = spec.Clusters.First(c => c.Kind == ClusterKind.Compute);
            foreach ((Option<string?> option, CacheGeometry machineCache) in (ReadOnlySpan<(Option<string?>, CacheGeometry)>)[(icache, compute.InstructionCache), (dcache, compute.DataCache)])
            {
                if (Value(option) is not { } geometry)
                {
                    continue;
                }

                if (!string.Equals(Value(cache), "on", StringComparison.OrdinalIgnoreCase))
                {
                    result.AddError($"{option.Name}: it shapes the cache model; give --cache on too");
                }
                else if (!CacheOption.TryParse(geometry, machineCache, out _, out string? badGeometry))
                {
                    result.AddError($"{option.Name}: {badGeometry}");
                }
            }

            if (Value(uareaGap) is { } gap)
            {
                if (!string.Equals(Value(layout) ?? "uarea", "uarea", StringComparison.OrdinalIgnoreCase))
                {
                    result.AddError("--uarea-gap: it spaces the User Areas; the scattered layout has none (give --layout uarea)");
                }
                else if (gap % 64 != 0 || gap > 16_384)
                {
                    result.AddError($"--uarea-gap: {gap} bytes; give whole 64-byte cache lines, at most 16384");
                }
            }

            if (Value(precopyRounds) is > 64)
            {
                result.AddError($"--precopy-rounds: {Value(precopyRounds)}; give 1 to 64 rounds");
            }

            if (Value(annotate) && !string.Equals(Value(cache), "on", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError("--annotate: it names the misses of the cache model; give --cache on too");
            }

            if (Value(missPenalty) is { } penalty && !string.Equals(Value(cache), "on", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError("--miss-penalty: it is the cost of a miss of the cache model; give --cache on too");
            }
            else if (Value(missPenalty) is > 100_000)
            {
                result.AddError("--miss-penalty: at most 100000 cycles");
            }

            if (Value(traceFilter) is { } kinds && !Trace.TraceFilter.TryParse(kinds, out _, out string? badKind))
            {
                result.AddError($"--trace-filter: {badKind}");
            }
            else if (Value(traceFilter) is not null && Value(trace) is null)
            {
                result.AddError("--trace-filter: it says what --trace writes; give --trace PATH too");
            }

            if (Value(argv0) is not null && Value(image) is not null)
            {
                result.AddError("--argv0: an image names each of its programs; give no --argv0 with --image");
            }
            else if (Value(argv0) is { } text0 && text0.Contains('\0', StringComparison.Ordinal))
            {
                result.AddError("--argv0: it cannot hold a NUL character (a C string ends there)");
            }

            if (Value(image) is not null && result.GetValue(program) is not null)
            {
                result.AddError("--image starts the programs the image names; give no program with it");
            }
        });
        run.SetAction(parse =>
        {
            ProcessorSpec spec = MachineCatalog.Get(parse.GetValue(runMachine)!);
            string[] computeClusters = ComputeClusters(spec);
            var settings = new RunSettings(
                parse.GetValue(program),
                parse.GetValue(programArguments) ?? [],
                computeClusters.First(c => string.Equals(c, parse.GetValue(cluster), StringComparison.OrdinalIgnoreCase)),
                ParseLayout(parse.GetValue(layout)),
                parse.GetValue(timing) == "nanvix" ? NocTimingMode.Nanvix : NocTimingMode.Hardware,
                parse.GetValue(cache) == "on",
                parse.GetValue(stats),
                parse.GetValue(verbose))
            {
                Machine = spec.Name,
                Quiet = parse.GetValue(quiet),
                Annotate = parse.GetValue(annotate),
                UAreaGap = (int)(parse.GetValue(uareaGap) ?? 0),
                PrecopyRounds = (int)(parse.GetValue(precopyRounds) ?? 0),
                Engine = parse.GetValue(engine) == "step" ? HartEngine.Step : HartEngine.Fast,
                MaxCycles = parse.GetValue(maxCycles),
                MaxInstructions = parse.GetValue(maxInstructions),
                TracePath = parse.GetValue(trace),
                MissPenalty = parse.GetValue(missPenalty) is { } penalty ? (uint)penalty : null,
                InstructionCache = Geometry(parse.GetValue(icache), spec.Clusters.First(c => c.Kind == ClusterKind.Compute).InstructionCache),
                DataCache = Geometry(parse.GetValue(dcache), spec.Clusters.First(c => c.Kind == ClusterKind.Compute).DataCache),
                TraceKinds = parse.GetValue(traceFilter) is { } kinds && Trace.TraceFilter.TryParse(kinds, out Trace.TraceKinds parsed, out _) ? parsed : Trace.TraceKinds.All,
                Argv0 = parse.GetValue(argv0),
                Migrations = [.. (parse.GetValue(migrate) ?? []).Select(text => MigrationRequest.TryParse(text, computeClusters, out MigrationRequest move, out _) ? move : default)],
            };
            string? imagePath = parse.GetValue(image);
            Workload workload = imagePath is null ? Workload.OfProgram(spec, settings) : Workload.OfImage(spec, imagePath);
            return RunSession.Execute(workload, settings, host);
        });

        Option<string> layoutMachine = MachineOption("Processor whose compute cluster is shown");
        Option<string> layoutLayout = LayoutOption();
        var layoutCommand = new Command("layout", "Print a compute cluster's memory map, where the kernel keeps per-process state, and its structures (pahole-style)");
        layoutCommand.Options.Add(layoutLayout);
        layoutCommand.Options.Add(layoutMachine);
        layoutCommand.SetAction(parse =>
        {
            ProcessorSpec spec = MachineCatalog.Get(parse.GetValue(layoutMachine)!);
            LayoutReport.Write(spec, ParseLayout(parse.GetValue(layoutLayout)), output);
            return 0;
        });

        var root = new RootCommand("Nanvix.Native: a Nanvix multikernel over an emulated MPPA-256-like manycore");
        root.Subcommands.Add(info);
        root.Subcommands.Add(run);
        root.Subcommands.Add(layoutCommand);
        root.Subcommands.Add(Sweeps.SweepCommand.Build(host));

        // Without this action, a mistyped command ("nanvix frobnicate") would also be told that a command is missing.
        root.SetAction(_ =>
        {
            error.WriteLine($"nanvix: no command given (commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))})");
            error.WriteLine("Try 'nanvix --help'.");
            return ExitStatus.BadInput;
        });
        return root;
    }

    private static CacheGeometry? Geometry(string? text, CacheGeometry machine) =>
        text is not null && CacheOption.TryParse(text, machine, out CacheGeometry geometry, out _) ? geometry : null;

    private static Option<string> LayoutOption() => Choice(
        "--layout",
        "Process layout: uarea (all per-process state in one User Area) or scattered (one kernel table per kind of state)",
        RunCommand.LayoutName(ProcessLayoutKind.UArea),
        RunCommand.LayoutName(ProcessLayoutKind.UArea),
        RunCommand.LayoutName(ProcessLayoutKind.Scattered));

    private static Option<string> MachineOption(string what) =>
        Choice("--machine", $"{what} ({string.Join(" or ", MachineCatalog.Names)}: the small configurable manycore that tests use)", Mppa256.MachineName, [.. MachineCatalog.Names], "-m");

    /// <summary>
    /// An option that takes one of <paramref name="values"/>. Option values are read ignoring case everywhere (UAREA,
    /// On, cc1), as cluster names always were; the action sees the value as listed.
    /// </summary>
    internal static Option<string> Choice(string name, string description, string defaultValue, params string[] values) =>
        Choice(name, description, defaultValue, values, []);

    private static Option<string> Choice(string name, string description, string defaultValue, string[] values, params string[] aliases)
    {
        var option = new Option<string>(name, aliases)
        {
            Description = description,
            HelpName = string.Join("|", values),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                string? value = values.FirstOrDefault(v => string.Equals(v, token, StringComparison.OrdinalIgnoreCase));
                if (value is null)
                {
                    result.AddError($"Argument '{token}' not recognized: one of {string.Join(", ", values)} (in any case)");
                }

                return value ?? defaultValue;
            },
        };
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary>An option that takes a whole number of <paramref name="unit"/> from 1, told in words rather than in .NET type names when it is not one.</summary>
    internal static Option<ulong?> Count(string name, string description, string unit) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ulong.TryParse(token.Replace("_", "", StringComparison.Ordinal), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong count) && count > 0)
            {
                return count;
            }

            result.AddError($"'{token}' is not a number of {unit} (a whole number from 1, such as 1000000 or 1_000_000)");
            return null;
        },
    };

    private static string[] ComputeClusters(ProcessorSpec spec) => [.. spec.Clusters.Where(c => c.Kind == ClusterKind.Compute).Select(c => c.Name)];

    private static ProcessLayoutKind ParseLayout(string? name) =>
        name == RunCommand.LayoutName(ProcessLayoutKind.Scattered) ? ProcessLayoutKind.Scattered : ProcessLayoutKind.UArea;

    /// <summary>The option a parse error is about, as a prefix ("--layout: "), so the message says which flag was wrong.</summary>
    private static string OptionOf(System.CommandLine.Parsing.ParseError parseError) => parseError.SymbolResult switch
    {
        System.CommandLine.Parsing.OptionResult o => $"{o.Option.Name}: ",
        System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => $"{o.Option.Name}: ",
        _ => "",
    };

    /// <summary>System.CommandLine lists allowed values on lines of their own; keep each mistake to one line.</summary>
    private static string OneLine(string message) =>
        message.Replace("\r", "", StringComparison.Ordinal).Replace(":\n\t", ": ", StringComparison.Ordinal).Replace("\n\t", ", ", StringComparison.Ordinal).Replace('\n', ' ');
}
