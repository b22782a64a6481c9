using System.CommandLine;
using Nanvix.Hal.Machine;

namespace Nanvix.Cli;

/// <summary>The <c>nanvix</c> command line: one subcommand per job.</summary>
public static class NanvixCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen job, and returns the process exit status.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream? input = null)
    {
        RootCommand root = Build(output, error, input);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line per mistake on stderr, and where to look; the help text stays out of the output.
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
            {
                error.WriteLine($"nanvix: {parseError.Message}");
            }

            Command command = parsed.CommandResult.Command;
            error.WriteLine(command is RootCommand ? "Try 'nanvix --help'." : $"Try 'nanvix {command.Name} --help'.");
            return 2;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (ArgumentException e)
        {
            // Bad host input found past parsing (a machine or cluster name, a file): one clear line, no stack trace.
            error.WriteLine($"nanvix: {e.Message}");
            return 2;
        }
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

        var program = new Argument<string>("program") { Description = "Static RV32IMA ELF executable to run" };
        var programArguments = new Argument<string[]>("args")
        {
            Description = "Arguments for the program (put them after -- when they start with -)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print instructions, cycles and kernel calls when the program ends" };
        var cache = new Option<string>("--cache")
        {
            Description = "Model the per-core I$ and D$ (8 KB, 2-way, 64 B lines); misses then cost cycles",
            DefaultValueFactory = _ => "off",
        };
        cache.AcceptOnlyFromAmong("on", "off");
        var run = new Command("run", "Run a RISC-V program on CC0 of the MPPA-256; exits with the program's status");
        run.Arguments.Add(program);
        run.Arguments.Add(programArguments);
        run.Options.Add(cache);
        run.Options.Add(verbose);
        run.SetAction(parse => RunCommand.Execute(
            parse.GetValue(program)!,
            parse.GetValue(programArguments) ?? [],
            parse.GetValue(cache) == "on",
            parse.GetValue(verbose),
            output,
            error,
            input));

        var root = new RootCommand("Nanvix.Native: a Nanvix multikernel over an emulated MPPA-256-like manycore");
        root.Subcommands.Add(info);
        root.Subcommands.Add(run);
        return root;
    }
}
