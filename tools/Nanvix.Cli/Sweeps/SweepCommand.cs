using System.CommandLine;
using System.Globalization;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// <c>nanvix sweep</c>: expands a sweep file into runs and runs them on the host's cores (caching each result by run
/// id), runs one of them as a scheduler's task (<c>--task</c>), writes a scheduler's job list (<c>--emit</c>), or
/// merges a folder of results into the table (<c>--merge</c>).
/// </summary>
public static class SweepCommand
{
    /// <summary>The folder of a sweep when no <c>--out</c> is given.</summary>
    public const string DefaultFolder = "sweep-out";

    public static Command Build(RunHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var sweep = new Argument<string?>("sweep")
        {
            Description = "The sweep file (JSON: base options, axes of values, metrics to plot; see docs/sweeps.md)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var folder = new Option<string>("--out", "-o")
        {
            Description = "The sweep's folder: plan.json, runs/ID.json (one result per run, kept: a run with a result is not run again), sweep.csv and sweep.json",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultFolder,
        };
        Option<ulong?> jobs = NanvixCommand.Count("--jobs", "Runs at once (default: the host's cores); with --emit slurm, the most array tasks at once", "runs");
        jobs.Aliases.Add("-j");
        var task = new Option<int?>("--task")
        {
            Description = "Run only run I of the sweep (from 0), as a task of a scheduler's job array, and write its result into --out",
            HelpName = "I",
            CustomParser = result =>
            {
                string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    return index;
                }

                result.AddError($"'{token}' is not the index of a run (a whole number from 0)");
                return null;
            },
        };
        Option<string> emit = NanvixCommand.Choice("--emit", "Write the sweep as a Slurm job array script (slurm) or a GNU parallel job list (parallel) on stdout, and its plan into --out", "", "slurm", "parallel");
        var command = new Option<string?>("--command")
        {
            Description = "With --emit: how a task starts nanvix (default: this nanvix, by its full path)",
            HelpName = "CMD",
        };
        var merge = new Option<string?>("--merge")
        {
            Description = "Merge the results in DIR (written by the tasks of --emit) into DIR/sweep.csv and DIR/sweep.json; takes no sweep file",
            HelpName = "DIR",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print no summary line and no progress line" };
        var sweepCommand = new Command("sweep", "Run a sweep: every combination of a sweep file's axes, one run each, cached by a hash of configuration and programs; merged into one table (CSV and JSON)");
        sweepCommand.Arguments.Add(sweep);
        sweepCommand.Options.Add(folder);
        sweepCommand.Options.Add(jobs);
        sweepCommand.Options.Add(task);
        sweepCommand.Options.Add(emit);
        sweepCommand.Options.Add(command);
        sweepCommand.Options.Add(merge);
        sweepCommand.Options.Add(quiet);
        sweepCommand.Validators.Add(result =>
        {
            bool merging = result.GetValue(merge) is not null;
            bool emitting = result.GetResult(emit) is { Implicit: false };
            if (merging && (result.GetValue(sweep) is not null || result.GetValue(task) is not null || emitting || result.GetResult(folder) is { Implicit: false }))
            {
                result.AddError("--merge DIR merges the folder it names; give it no sweep file, --task, --emit or --out");
            }
            else if (!merging && result.GetValue(sweep) is null)
            {
                result.AddError("no sweep file (give SWEEP.json, or --merge DIR)");
            }
            else if (emitting && result.GetValue(task) is not null)
            {
                result.AddError("--emit writes every task; give no --task with it");
            }
            else if (!emitting && result.GetValue(command) is not null)
            {
                result.AddError("--command says how the tasks of --emit start nanvix; give it with --emit only");
            }
        });
        sweepCommand.SetAction(parse =>
        {
            TextWriter output = host.Output;
            bool silent = parse.GetValue(quiet);
            if (parse.GetValue(merge) is { } mergeFolder)
            {
                var merged = new SweepFolder(mergeFolder);
                int rows = SweepTable.Merge(merged);
                Say(output, silent, $"sweep: merged {rows} run{(rows == 1 ? "" : "s")} into {merged.TableCsv} and {merged.TableJson}");
                return ExitStatus.Success;
            }

            string path = parse.GetValue(sweep)!;
            SweepPlan plan = SweepPlan.Expand(path);
            var out_ = new SweepFolder(parse.GetValue(folder)!);
            out_.Create();
            int atOnce = (int)Math.Min(parse.GetValue(jobs) ?? (ulong)Environment.ProcessorCount, 1024);
            string emitted = parse.GetValue(emit)!;
            if (emitted.Length > 0)
            {
                SweepFolder.Write(out_.Plan, plan.PlanFile(), "the sweep plan");
                string self = parse.GetValue(command) ?? SweepScripts.SelfCommand();
                string sweepPath = Path.GetFullPath(path);
                string folderPath = Path.GetFullPath(out_.Path);
                if (emitted == "slurm")
                {
                    // sbatch opens each task's log before the task starts: the folder must be there.
                    new SweepFolder(Path.Combine(folderPath, "slurm")).Create();
                    output.Write(SweepScripts.Slurm(self, sweepPath, folderPath, plan.Runs.Count, atOnce));
                }
                else
                {
                    output.Write(SweepScripts.Parallel(self, sweepPath, folderPath, plan.Runs.Count));
                }

                return ExitStatus.Success;
            }

            if (parse.GetValue(task) is { } index)
            {
                return Task(plan, out_, index, host, silent);
            }

            SweepFolder.Write(out_.Plan, plan.PlanFile(), "the sweep plan");
            if (SweepRunner.RunAll(plan, out_, atOnce, host) is not { } tally)
            {
                host.Error.WriteLine($"nanvix: sweep: interrupted by {RunInterrupt.Name(host.Interrupt.Signal)}; the results so far are kept in {out_.Runs} (run the sweep again to finish it)");
                return ExitStatus.Interrupted(host.Interrupt.Signal);
            }

            SweepTable.Merge(out_);
            int count = plan.Runs.Count;
            Say(output, silent, $"sweep: {count} run{(count == 1 ? "" : "s")} ({tally.Ran} run now, {tally.Cached} cached): {out_.TableCsv} and {out_.TableJson}");
            return ExitStatus.Success;
        });
        return sweepCommand;
    }

    /// <summary>One task of a job array: run <paramref name="index"/> of the plan, into a folder whose plan must be this sweep's.</summary>
    private static int Task(SweepPlan plan, SweepFolder folder, int index, RunHost host, bool silent)
    {
        if (index >= plan.Runs.Count)
        {
            throw new HostInputException($"--task {index}: the sweep '{plan.File.Path}' has {plan.Runs.Count} run{(plan.Runs.Count == 1 ? "" : "s")} (0 to {plan.Runs.Count - 1})");
        }

        byte[] bytes = plan.PlanFile();
        if (SweepFolder.ReadIfThere(folder.Plan, "plan") is { } written && !written.AsSpan().SequenceEqual(bytes))
        {
            throw new HostInputException($"--task {index}: '{folder.Plan}' is the plan of another sweep (or of this one before it changed); give a fresh --out, or emit again");
        }

        SweepFolder.Write(folder.Plan, bytes, "the sweep plan");
        SweepRun run = plan.Runs[index];
        bool ran = SweepRunner.RunOnce(run, folder, host.Interrupt);
        Say(host.Output, silent, $"sweep: task {index}: {run.Name}, id {run.Id}: {(ran ? "run" : "cached")}");
        return ExitStatus.Success;
    }

    private static void Say(TextWriter output, bool silent, string line)
    {
        if (!silent)
        {
            output.WriteLine(line);
        }
    }
}
