using System.Text.Json;
using Nanvix.Cli.Sweeps;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary><c>nanvix sweep</c>: expansion and run ids, caching, the task and merge path, the scheduler scripts, bad input.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Axes_expand_to_the_product_of_their_sizes_with_the_last_axis_varying_fastest()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"], "timing": ["hardware", "nanvix"], "cache": ["off", "on"]}}""");

        SweepPlan plan = SweepPlan.Expand(sweep);

        Assert.Equal(8, plan.Runs.Count);
        Assert.Equal(Enumerable.Range(0, 8), plan.Runs.Select(r => r.Index));
        Assert.Equal(["uarea", "uarea", "uarea", "uarea", "scattered", "scattered", "scattered", "scattered"], plan.Runs.Select(r => r.Options.Layout));
        Assert.Equal(["hardware", "hardware", "nanvix", "nanvix"], plan.Runs.Take(4).Select(r => r.Options.Timing));
        Assert.Equal([false, true, false, true], plan.Runs.Take(4).Select(r => r.Options.Cache));
        Assert.Equal(8, plan.Runs.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void A_sweep_without_axes_is_one_run()
    {
        SweepPlan plan = SweepPlan.Expand(Sweep("""{"base": {"program": "PROGRAM", "layout": "SCATTERED"}}"""));

        SweepRun run = Assert.Single(plan.Runs);
        Assert.Equal("scattered", run.Options.Layout);
    }

    [Fact]
    public void Run_ids_are_stable_and_change_when_a_byte_of_the_program_changes()
    {
        string program = Path.Combine(_folder, "hello.elf");
        File.Copy(RepositoryFiles.UserProgramPath("hello"), program);
        string sweep = Sweep("""{"base": {"program": "hello.elf"}, "axes": {"layout": ["uarea", "scattered"]}}""");

        string[] first = [.. SweepPlan.Expand(sweep).Runs.Select(r => r.Id)];
        string[] again = [.. SweepPlan.Expand(sweep).Runs.Select(r => r.Id)];
        byte[] bytes = File.ReadAllBytes(program);
        bytes[^1] ^= 1;
        File.WriteAllBytes(program, bytes);
        string[] changed = [.. SweepPlan.Expand(sweep).Runs.Select(r => r.Id)];

        Assert.Equal(first, again);
        Assert.All(first, id => Assert.Matches("^[0-9a-f]{16}$", id));
        Assert.Empty(first.Intersect(changed));
    }

    [Fact]
    public void A_run_id_does_not_depend_on_the_spelling_of_a_value_or_on_base_versus_axis()
    {
        string[] a = [.. SweepPlan.Expand(Sweep("""{"base": {"program": "PROGRAM", "cluster": "cc1", "cache": true}}""")).Runs.Select(r => r.Id)];
        string[] b = [.. SweepPlan.Expand(Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"cluster": ["CC1"], "cache": ["ON"]}}""")).Runs.Select(r => r.Id)];

        Assert.Equal(a, b);
    }

    [Fact]
    public void The_table_has_a_row_per_run_in_expansion_order_with_the_axis_values_and_the_metrics()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"cluster": ["CC0", "CC2"], "args": [["a"], ["b c"]]}}""");

        (int status, string output, string error) = CliRunner.Run("sweep", sweep, "--out", Out("local"));

        Assert.Equal(0, status);
        Assert.Equal("", error);
        Assert.Contains("4 runs (4 run now, 0 cached)", output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(Path.Combine(Out("local"), "sweep.csv"));
        Assert.Equal(string.Join(',', ["index", "id", "cluster", "args", .. SweepMetrics.Names]), lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["0,CC0,a", "1,CC0,b c", "2,CC2,a", "3,CC2,b c"], lines.Skip(1).Select(l => string.Join(',', l.Split(',').Where((_, i) => i is 0 or 2 or 3))));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out("local"), "sweep.json")));
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.Equal(4, runs.Length);
        Assert.All(runs, r => Assert.Equal(0, r.GetProperty("metrics").GetProperty("status").GetInt32()));
        Assert.All(runs, r => Assert.True(r.GetProperty("metrics").GetProperty("cycles").GetUInt64() > 0));
        Assert.Equal("b c", runs[1].GetProperty("values").GetProperty("args")[0].GetString());
    }

    [Fact]
    public void A_dcache_axis_runs_each_geometry_and_a_sweep_without_one_keeps_its_ids()
    {
        string pages = RepositoryFiles.UserProgramPath("pages").Replace("\\", "\\\\", StringComparison.Ordinal);
        string sweep = Sweep("""{"base": {"program": "PAGES", "args": ["32"], "cache": "on"}, "axes": {"dcache": ["1K", "8192:2:64"]}}""".Replace("PAGES", pages, StringComparison.Ordinal));
        SweepPlan plan = SweepPlan.Expand(sweep);
        string unnamed = SweepPlan.Expand(Sweep("""{"base": {"program": "PAGES", "args": ["32"], "cache": "on"}}""".Replace("PAGES", pages, StringComparison.Ordinal))).Runs.Single().Id;

        Assert.Equal(["1024:2:64", "8192:2:64"], plan.Runs.Select(r => r.Options.Dcache));
        Assert.NotEqual(plan.Runs[0].Id, plan.Runs[1].Id);
        Assert.NotEqual(unnamed, plan.Runs[1].Id);
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("dcache")).Status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out("dcache"), "sweep.json")));
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.True(runs[0].GetProperty("metrics").GetProperty("cycles").GetUInt64() > runs[1].GetProperty("metrics").GetProperty("cycles").GetUInt64());
    }

    [Fact]
    public void The_cache_columns_are_the_user_and_kernel_misses_of_the_run_summed_over_its_cores()
    {
        string forkjoin = RepositoryFiles.UserProgramPath("forkjoin").Replace("\\", "\\\\", StringComparison.Ordinal);
        string sweep = Sweep("""{"base": {"program": "FORKJOIN", "args": ["4", "2"], "cache": "on"}, "axes": {"layout": ["uarea", "scattered"]}}""".Replace("FORKJOIN", forkjoin, StringComparison.Ordinal));
        string stats = Path.Combine(_folder, "forkjoin.json");

        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("caches")).Status);
        Assert.Equal(0, CliRunner.Run("run", "--cache", "on", "--layout", "scattered", "--stats", stats, RepositoryFiles.UserProgramPath("forkjoin"), "4", "2").Status);

        using JsonDocument table = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out("caches"), "sweep.json")));
        JsonElement metrics = table.RootElement.GetProperty("runs")[1].GetProperty("metrics");
        using JsonDocument run = JsonDocument.Parse(File.ReadAllBytes(stats));
        JsonElement[] cores = [.. run.RootElement.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("cores").EnumerateArray())];
        decimal Sum(string cache, string source) => cores.Sum(c => (decimal)c.GetProperty(cache).GetProperty(source).GetProperty("misses").GetUInt64());
        foreach ((string column, string cache, string source) in (ReadOnlySpan<(string, string, string)>)[("icache_misses", "icache", "user"), ("icache_kernel_misses", "icache", "kernel"), ("dcache_user_misses", "dcache", "user"), ("dcache_kernel_misses", "dcache", "kernel")])
        {
            Assert.True(metrics.GetProperty(column).GetDecimal() == Sum(cache, source), $"{column}: {metrics.GetProperty(column).GetDecimal()}, the cores count {Sum(cache, source)}");
        }

        // The kernel's text is fetched through the I$: a fork-join misses there more than its user code does.
        Assert.True(metrics.GetProperty("icache_kernel_misses").GetDecimal() > metrics.GetProperty("icache_misses").GetDecimal());
    }

    [Fact]
    public void A_miss_penalty_axis_makes_dearer_misses_cost_more_cycles()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM", "cache": "on"}, "axes": {"miss_penalty": [10, 100]}}""");

        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("penalty")).Status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out("penalty"), "sweep.json")));
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.True(runs[1].GetProperty("metrics").GetProperty("cycles").GetUInt64() > runs[0].GetProperty("metrics").GetProperty("cycles").GetUInt64());
    }

    [Fact]
    public void A_result_file_holds_the_statistics_of_run_stats_and_what_the_program_printed()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM", "cluster": "CC3"}}""");
        string stats = Path.Combine(_folder, "stats.json");
        Assert.Equal(0, CliRunner.Run("run", "--stats", stats, "--cluster", "CC3", RepositoryFiles.UserProgramPath("hello")).Status);

        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("local")).Status);

        string result = Assert.Single(Directory.GetFiles(Path.Combine(Out("local"), "runs")));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(result));
        using JsonDocument run = JsonDocument.Parse(File.ReadAllBytes(stats));
        JsonElement report = json.RootElement.GetProperty("report");
        Assert.Equal(run.RootElement.GetProperty("cycles").GetUInt64(), report.GetProperty("cycles").GetUInt64());
        Assert.Equal(run.RootElement.GetProperty("clusters").GetRawText().Length, report.GetProperty("clusters").GetRawText().Length);
        Assert.Contains("hello", json.RootElement.GetProperty("stdout").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_second_sweep_into_the_same_folder_runs_nothing_and_writes_the_same_table()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"]}}""");
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("local")).Status);
        byte[] csv = File.ReadAllBytes(Path.Combine(Out("local"), "sweep.csv"));
        byte[] json = File.ReadAllBytes(Path.Combine(Out("local"), "sweep.json"));

        // A result that is run again would lose this mark.
        string result = Directory.GetFiles(Path.Combine(Out("local"), "runs"))[0];
        File.WriteAllText(result, File.ReadAllText(result).Replace("\"stdout\": \"", "\"stdout\": \"MARK", StringComparison.Ordinal));
        (int status, string output, _) = CliRunner.Run("sweep", sweep, "--out", Out("local"));

        Assert.Equal(0, status);
        Assert.Contains("2 runs (0 run now, 2 cached)", output, StringComparison.Ordinal);
        Assert.Contains("\"stdout\": \"MARK", File.ReadAllText(result), StringComparison.Ordinal);
        Assert.Equal(csv, File.ReadAllBytes(Path.Combine(Out("local"), "sweep.csv")));
        Assert.Equal(json, File.ReadAllBytes(Path.Combine(Out("local"), "sweep.json")));
    }

    [Fact]
    public void A_result_file_that_is_not_whole_is_run_again()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}}""");
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("local")).Status);
        string result = Assert.Single(Directory.GetFiles(Path.Combine(Out("local"), "runs")));
        File.WriteAllText(result, "{\"id\": ");

        (int status, string output, _) = CliRunner.Run("sweep", sweep, "--out", Out("local"));

        Assert.Equal(0, status);
        Assert.Contains("1 run (1 run now, 0 cached)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_with_the_same_configuration_share_one_run()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "UAREA"]}}""");

        (int status, string output, _) = CliRunner.Run("sweep", sweep, "--out", Out("local"));

        Assert.Equal(0, status);
        Assert.Contains("2 runs (1 run now, 0 cached)", output, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Out("local"), "sweep.csv")).Length);
    }

    [Fact]
    public void Every_task_then_a_merge_give_the_local_table_byte_for_byte()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"], "timing": ["hardware", "nanvix"]}}""");
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("local"), "--jobs", "2").Status);

        // The tasks in another order than the table's, as a scheduler may run them.
        foreach (int task in (int[])[3, 1, 0, 2])
        {
            (int status, string output, _) = CliRunner.Run("sweep", sweep, "--task", $"{task}", "--out", Out("tasks"));
            Assert.Equal(0, status);
            Assert.StartsWith($"sweep: task {task}: run {task} (", output, StringComparison.Ordinal);
        }

        (int merged, string said, _) = CliRunner.Run("sweep", "--merge", Out("tasks"));

        Assert.Equal(0, merged);
        Assert.Contains("merged 4 runs", said, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("local"), "sweep.csv")), File.ReadAllBytes(Path.Combine(Out("tasks"), "sweep.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("local"), "sweep.json")), File.ReadAllBytes(Path.Combine(Out("tasks"), "sweep.json")));
    }

    [Fact]
    public void A_merge_with_a_task_missing_says_which_run_has_no_result()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"]}}""");
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--task", "0", "--out", Out("tasks")).Status);
        string missing = SweepPlan.Expand(sweep).Runs[1].Id;

        (int status, string output, string error) = CliRunner.Run("sweep", "--merge", Out("tasks"));

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Equal("", output);
        Assert.StartsWith("nanvix: merge: 1 run has no result", error, StringComparison.Ordinal);
        Assert.Contains($"run 1 ({missing})", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out("tasks"), "sweep.csv")));
    }

    [Fact]
    public void A_task_refuses_a_folder_planned_for_another_sweep()
    {
        Assert.Equal(0, CliRunner.Run("sweep", Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"]}}"""), "--task", "0", "--out", Out("tasks")).Status);

        (int status, _, string error) = CliRunner.Run("sweep", Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"timing": ["hardware", "nanvix"]}}"""), "--task", "1", "--out", Out("tasks"));

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Contains("is the plan of another sweep", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_slurm_writes_a_job_array_with_one_task_per_run_and_the_plan()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"layout": ["uarea", "scattered"], "cache": [true, false]}}""");

        (int status, string script, string error) = CliRunner.Run("sweep", sweep, "--emit", "slurm", "--jobs", "3", "--command", "nanvix", "--out", Out("array"));

        Assert.Equal(0, status);
        Assert.Equal("", error);
        string[] lines = script.Split('\n');
        Assert.Equal("#!/bin/sh", lines[0]);
        Assert.Contains("#SBATCH --array=0-3%3", lines);
        Assert.Contains($"#SBATCH --output={Path.Combine(Out("array"), "slurm", "%A_%a.log")}", lines);
        Assert.Contains($"exec nanvix sweep {SweepScripts.Quote(sweep)} --task \"$SLURM_ARRAY_TASK_ID\" --out {SweepScripts.Quote(Out("array"))}", lines);
        Assert.True(Directory.Exists(Path.Combine(Out("array"), "slurm")));
        Assert.Equal(SweepPlan.Expand(sweep).PlanFile(), File.ReadAllBytes(Path.Combine(Out("array"), "plan.json")));
    }

    [Fact]
    public void Emit_parallel_writes_one_task_line_per_run_in_order()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}, "axes": {"args": [["1"], ["2"], ["3"]]}}""");

        (int status, string jobs, _) = CliRunner.Run("sweep", sweep, "--emit", "parallel", "--command", "nanvix", "--out", Out("p"));

        Assert.Equal(0, status);
        Assert.Equal(
            [.. Enumerable.Range(0, 3).Select(i => $"nanvix sweep {SweepScripts.Quote(sweep)} --task {i} --out {SweepScripts.Quote(Out("p"))}"), ""],
            jobs.Split('\n'));
    }

    [Theory]
    [InlineData("""{"base": {"program": null}}""", "base.program: expected a path to an ELF file, found null")]
    [InlineData("""{"base": {"program": "PROGRAM", "layout": 3}}""", "base.layout: expected one of \"uarea\", \"scattered\", found a number")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"layuot": ["uarea"]}}""", "axes: unknown key \"layuot\"")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"timing": []}}""", "axes.timing: an axis needs at least one value")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"timing": "nanvix"}}""", "axes.timing: expected an array of the values the option takes, found a string")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"args": [["1"], [2]]}}""", "axes.args[1][0]: expected an argument string, found a number")]
    [InlineData("""{"base": {"program": "PROGRAM", "max_cycles": 0}}""", "base.max_cycles: 0 is not a number of cycles")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "plot": ["speed"]}""", "plot[0]: unknown metric \"speed\"")]
    [InlineData("""{"base": {"program": "PROGRAM", "image": "x.json"}}""", "give \"program\" or \"image\", not both")]
    [InlineData("""{"axes": {"layout": ["uarea"]}}""", "no program: give \"program\"")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"cluster": ["CC1", "CC99"]}}""", "run 1 (cluster=CC99): cluster 'CC99' is not a compute cluster of mppa256")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"migrate": [["10:CC1"], ["soon"]]}}""", "run 1 (migrate=soon): migrate: 'soon' is not CYCLE:CLUSTER")]
    [InlineData("""{"base": {"program": "missing.elf"}}""", "run 0: cannot read '")]
    [InlineData("""{"base": {"program": "/dev/zero"}}""", "run 0: cannot read '/dev/zero': larger than")]
    [InlineData("""{"base": {"program": "/dev/null"}}""", "not an ELF file")]
    [InlineData("""{"base": {"program": "PROGRAM"},}""", "a comma after the last element (a sweep file is plain JSON: none there)")]
    [InlineData("", "the file is empty")]
    [InlineData("""{"base": {"program": "PROGRAM", "dcache": "2K"}}""", "run 0: dcache: it shapes the cache model; give cache on too")]
    [InlineData("""{"base": {"program": "PROGRAM", "miss_penalty": 20}}""", "run 0: miss_penalty: it is the cost of a miss of the cache model; give cache on too")]
    [InlineData("""{"base": {"program": "PROGRAM", "cache": "on", "miss_penalty": "20"}}""", "base.miss_penalty: expected a number of cycles")]
    [InlineData("""{"base": {"program": "PROGRAM", "cache": true}, "axes": {"icache": ["3K"]}}""", "run 0 (icache=3K): icache: '3K': size, ways and line must be powers of two")]
    public void Bad_sweep_files_are_one_line_and_status_2_and_no_run(string text, string message)
    {
        string sweep = Sweep(text);

        (int status, string output, string error) = CliRunner.Run("sweep", sweep, "--out", Out("bad"));

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Equal("", output);
        Assert.StartsWith($"nanvix: sweep '{sweep}'", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Theory]
    [InlineData(new[] { "sweep" }, "no sweep file")]
    [InlineData(new[] { "sweep", "--merge", "DIR", "SWEEP" }, "--merge DIR merges the folder it names")]
    [InlineData(new[] { "sweep", "SWEEP", "--emit", "slurm", "--task", "1" }, "--emit writes every task")]
    [InlineData(new[] { "sweep", "SWEEP", "--task", "-1" }, "is not the index of a run")]
    [InlineData(new[] { "sweep", "SWEEP", "--task", "7" }, "--task 7: the sweep")]
    [InlineData(new[] { "sweep", "SWEEP", "--jobs", "0" }, "--jobs: '0' is not a number of runs")]
    [InlineData(new[] { "sweep", "SWEEP", "--emit", "make" }, "--emit: Argument 'make' not recognized")]
    [InlineData(new[] { "sweep", "/dev/zero" }, "larger than")]
    [InlineData(new[] { "sweep", "--merge", "DIR" }, "merge: no plan in")]
    public void Bad_flags_are_told_in_one_line_with_status_2(string[] args, string message)
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM"}}""");
        string[] resolved = [.. args.Select(a => a switch { "SWEEP" => sweep, "DIR" => Out("nothing"), _ => a })];

        (int status, _, string error) = CliRunner.Run(resolved);

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.StartsWith("nanvix: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_refuses_a_plan_that_is_not_one()
    {
        Directory.CreateDirectory(Out("broken"));
        File.WriteAllText(Path.Combine(Out("broken"), "plan.json"), "{\"format\": \"nanvix-sweep-1\", \"runs\": 3}");

        (int status, _, string error) = CliRunner.Run("sweep", "--merge", Out("broken"));

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Contains("is not a sweep plan", error, StringComparison.Ordinal);
    }

    /// <summary>A sweep file in the test's folder; PROGRAM stands for the committed hello.elf.</summary>
    private string Sweep(string text)
    {
        string path = Path.Combine(_folder, $"sweep-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text.Replace("PROGRAM", RepositoryFiles.UserProgramPath("hello").Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal));
        return path;
    }

    private string Out(string name) => Path.Combine(_folder, name);
}
