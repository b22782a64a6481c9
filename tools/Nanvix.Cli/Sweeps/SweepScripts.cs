using System.Globalization;
using System.Text;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// What <c>nanvix sweep --emit</c> writes for a scheduler that is not nanvix's own: a Slurm job array (one task per
/// run, each <c>nanvix sweep SWEEP --task $SLURM_ARRAY_TASK_ID --out DIR</c>) or a GNU parallel job list (one such line
/// per run). Every task writes its result into the shared folder; <c>nanvix sweep --merge DIR</c> then makes the table.
/// </summary>
public static class SweepScripts
{
    /// <summary>An sbatch script: a job array of <paramref name="runs"/> tasks, at most <paramref name="atOnce"/> running at once.</summary>
    public static string Slurm(string command, string sweep, string folder, int runs, int atOnce)
    {
        ArgumentNullException.ThrowIfNull(command);
        string name = Path.GetFileNameWithoutExtension(sweep);
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append($"# The sweep {sweep} as a Slurm job array (nanvix sweep --emit slurm): task I runs run I of the sweep\n");
        script.Append($"# and writes its result into {folder}. Submit with sbatch; when every task has ended, make the table with\n");
        script.Append($"#   {command} sweep --merge {Quote(folder)}\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=nanvix-{name}\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{runs - 1}%{atOnce}\n");
        script.Append("#SBATCH --ntasks=1\n");
        script.Append("#SBATCH --cpus-per-task=1\n");
        script.Append($"#SBATCH --output={Path.Combine(folder, "slurm", "%A_%a.log")}\n");
        script.Append("set -eu\n");
        script.Append($"exec {command} sweep {Quote(sweep)} --task \"$SLURM_ARRAY_TASK_ID\" --out {Quote(folder)}\n");
        return script.ToString();
    }

    /// <summary>A GNU parallel job list: one command per run (<c>parallel -j N &lt; jobs.txt</c> runs them).</summary>
    public static string Parallel(string command, string sweep, string folder, int runs)
    {
        ArgumentNullException.ThrowIfNull(command);
        var jobs = new StringBuilder();
        for (int task = 0; task < runs; task++)
        {
            jobs.Append(CultureInfo.InvariantCulture, $"{command} sweep {Quote(sweep)} --task {task} --out {Quote(folder)}\n");
        }

        return jobs.ToString();
    }

    /// <summary>
    /// How a task starts this nanvix: the binary itself (the NativeAOT one, or the apphost), or <c>dotnet nanvix.dll</c>
    /// under <c>dotnet</c>; plain <c>nanvix</c> (the PATH's) when it runs inside another host, such as a test runner.
    /// </summary>
    public static string SelfCommand()
    {
        string? executable = Environment.ProcessPath;
        string name = executable is null ? "" : Path.GetFileNameWithoutExtension(executable);
        return name switch
        {
            "nanvix" => Quote(executable!),
            "dotnet" => $"{Quote(executable!)} {Quote(Path.Combine(AppContext.BaseDirectory, "nanvix.dll"))}",
            _ => "nanvix",
        };
    }

    /// <summary>A word for sh: as it is when it holds only safe characters, else in single quotes.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
