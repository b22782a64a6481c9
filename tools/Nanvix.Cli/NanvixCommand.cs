using System.CommandLine;
using Nanvix.Hal.Machine;

namespace Nanvix.Cli;

/// <summary>The <c>nanvix</c> command line: one subcommand per job.</summary>
public static class NanvixCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen job, and returns the process exit status.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output);
        ParseResult parsed = root.Parse(args);
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

    private static RootCommand Build(TextWriter output)
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

        var root = new RootCommand("Nanvix.Native: a Nanvix multikernel over an emulated MPPA-256-like manycore");
        root.Subcommands.Add(info);
        return root;
    }
}
