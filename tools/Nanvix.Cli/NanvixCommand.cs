using System.CommandLine;
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
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream? input = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return Invoke(args, output, error, input);
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

    private static int Invoke(string[] args, TextWriter output, TextWriter error, Stream? input)
    {
        RootCommand root = Build(output, error, input);
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
            Output = output,
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

    private static RootCommand Build(TextWriter output, TextWriter error, Stream? input)
    {
        var machine = new Option<string>("--machine", "-m")
        {
            Description = $"Processor to describe ({string.Join("|", MachineCatalog.Names)})",
            DefaultValueFactory = _ => Mppa256.MachineName,
        };
        machine.AcceptOnlyFromAmong([.. MachineCatalog.Names]);

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
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the configuration, instructions, cycles, kernel calls and caches when the program ends" };
        var cache = new Option<string>("--cache")
        {
            Description = "Model the per-core I$ and D$ (8 KB, 2-way, 64 B lines); misses then cost cycles",
            DefaultValueFactory = _ => "off",
        };
        cache.AcceptOnlyFromAmong("on", "off");
        ProcessorSpec runMachine = RunCommand.Machine();
        string[] computeClusters = [.. runMachine.Clusters.Where(c => c.Kind == ClusterKind.Compute).Select(c => c.Name)];
        var cluster = new Option<string>("--cluster", "-c")
        {
            Description = $"Compute cluster that runs the program ({computeClusters[0]}..{computeClusters[^1]})",
            DefaultValueFactory = _ => computeClusters[0],
        };
        cluster.Validators.Add(result =>
        {
            string? name = result.GetValueOrDefault<string>();
            if (name is null || !computeClusters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"'{name}' is not a compute cluster of {runMachine.Name} (compute clusters: {string.Join(", ", computeClusters)})");
            }
        });
        Option<string> layout = LayoutOption();
        var timing = new Option<string>("--timing")
        {
            Description = "NoC timing mode: hardware (hops, links, contention) or nanvix (the measured software path)",
            DefaultValueFactory = _ => "hardware",
        };
        timing.AcceptOnlyFromAmong("hardware", "nanvix");
        var stats = new Option<string?>("--stats")
        {
            Description = "Write the configuration, status, instructions, cycles, kernel calls and per-core caches as JSON to this file",
            HelpName = "PATH.json",
        };
        var migrate = new Option<string[]>("--migrate")
        {
            Description = "Move the program (or process PID, with an image) to CLUSTER once its cluster's time reaches CYCLE (cycles since boot); repeatable",
            HelpName = "CYCLE:CLUSTER[:PID]",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        migrate.Validators.Add(result =>
        {
            foreach (string text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!MigrationRequest.TryParse(text, computeClusters, out _, out string? problem))
                {
                    result.AddError(problem!);
                }
            }
        });
        var image = new Option<string?>("--image")
        {
            Description = "Start every program of an image file (JSON: programs with cluster, program, args) and run them together",
            HelpName = "IMAGE.json",
        };
        var run = new Command("run", "Run a RISC-V program (or the built-in demo) on a compute cluster of the MPPA-256; exits with the program's status");
        run.Arguments.Add(program);
        run.Arguments.Add(programArguments);
        run.Options.Add(cluster);
        run.Options.Add(layout);
        run.Options.Add(timing);
        run.Options.Add(cache);
        run.Options.Add(stats);
        run.Options.Add(verbose);
        run.Options.Add(image);
        run.Options.Add(migrate);
        run.SetAction(parse => Run(parse.GetValue(image), new RunSettings(
                parse.GetValue(program),
                parse.GetValue(programArguments) ?? [],
                parse.GetValue(cluster)!,
                ParseLayout(parse.GetValue(layout)),
                parse.GetValue(timing) == "nanvix" ? NocTimingMode.Nanvix : NocTimingMode.Hardware,
                parse.GetValue(cache) == "on",
                parse.GetValue(stats),
                parse.GetValue(verbose))
            {
                Migrations = [.. (parse.GetValue(migrate) ?? []).Select(text => MigrationRequest.TryParse(text, computeClusters, out MigrationRequest move, out _) ? move : default)],
            }));

        int Run(string? imagePath, RunSettings settings)
        {
            if (imagePath is null)
            {
                return RunCommand.Execute(settings, output, error, input);
            }

            if (settings.ProgramPath is not null || settings.StatsPath is not null)
            {
                error.WriteLine("nanvix: run: --image starts the programs the image names; give no program and no --stats with it");
                return RunCommand.BadInput;
            }

            return ImageCommand.Execute(imagePath, settings, output, error);
        }

        var layoutMachine = new Option<string>("--machine", "-m")
        {
            Description = $"Processor whose compute cluster is shown ({string.Join("|", MachineCatalog.Names)})",
            DefaultValueFactory = _ => Mppa256.MachineName,
        };
        layoutMachine.AcceptOnlyFromAmong([.. MachineCatalog.Names]);
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

        // Without this action, a mistyped command ("nanvix frobnicate") would also be told that a command is missing.
        root.SetAction(_ =>
        {
            error.WriteLine($"nanvix: no command given (commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))})");
            error.WriteLine("Try 'nanvix --help'.");
            return ExitStatus.BadInput;
        });
        return root;
    }

    private static Option<string> LayoutOption()
    {
        var layout = new Option<string>("--layout")
        {
            Description = "Process layout: uarea (all per-process state in one User Area) or scattered (one kernel table per kind of state)",
            DefaultValueFactory = _ => RunCommand.LayoutName(ProcessLayoutKind.UArea),
        };
        layout.AcceptOnlyFromAmong(RunCommand.LayoutName(ProcessLayoutKind.UArea), RunCommand.LayoutName(ProcessLayoutKind.Scattered));
        return layout;
    }

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
