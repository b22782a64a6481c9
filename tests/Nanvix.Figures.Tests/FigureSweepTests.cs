using System.Text.Json;
using Nanvix.Bench.Migration;
using Nanvix.Cli.Sweeps;
using Nanvix.Figures;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Tests.Shared;

namespace Nanvix.Figures.Tests;

/// <summary>
/// The fork-join and migration figures made from a sweep's whole runs of <c>nanvix run</c> (Nanvix.Figures --sweep) hold
/// the numbers the direct path (one cluster kernel, or the seed's rig) gives, run by run; the sweep files of docs/ say
/// what the figures say they are; and a sweep that is not one of the figure is told apart, in one message.
/// </summary>
public sealed class FigureSweepTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-figures-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Bin(string name) => Json(RepositoryFiles.UserProgramPath(name));

    [Fact]
    public void A_small_forkjoin_sweep_gives_the_table_of_the_direct_runs_and_the_same_bytes_twice()
    {
        string sweep = Sweep("""
            {"base": {"program": FORKJOIN, "argv0": "forkjoin", "cache": "on", "dcache": "2K"},
             "axes": {"layout": ["uarea", "scattered"], "args": [["1", "0"], ["1", "3"], ["3", "0"], ["3", "3"]]}}
            """);

        ForkJoinFigure.Table fromSweep = Assert.Single(ForkJoinFigure.FromSweep(SweepResults.Run(sweep, Out("a"))));
        ForkJoinFigure.Table direct = ForkJoinFigure.Direct(2, rounds: 3, threadCounts: [1, 3]);

        Assert.Equal((2048, 2, 64, 3), (fromSweep.DataCacheBytes, fromSweep.Ways, fromSweep.LineBytes, fromSweep.Rounds));
        Assert.Equal([1, 3], fromSweep.Threads);
        foreach (ProcessLayoutKind layout in (ProcessLayoutKind[])[ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered])
        {
            Assert.Equal(direct.Cycles[layout], fromSweep.Cycles[layout]);
            Assert.Equal(direct.KernelMisses[layout], fromSweep.KernelMisses[layout]);
            Assert.All(fromSweep.Cycles[layout], c => Assert.True(c > 100, $"{c} cycles per create+join"));
        }

        Assert.Equal(Text(direct), Text(fromSweep));

        // Another folder: the runs again, the same table file and the same figure.
        ForkJoinFigure.Table again = Assert.Single(ForkJoinFigure.FromSweep(SweepResults.Run(sweep, Out("b"))));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("a"), "sweep.json")), File.ReadAllBytes(Path.Combine(Out("b"), "sweep.json")));
        Assert.Equal(Text(fromSweep), Text(again));
    }

    [Fact]
    public void A_forkjoin_point_is_the_difference_of_two_whole_runs_over_threads_times_rounds()
    {
        string sweep = Sweep("""{"base": {"program": FORKJOIN, "argv0": "forkjoin", "cache": "on"}, "axes": {"layout": ["uarea", "scattered"], "args": [["2", "0"], ["2", "4"]]}}""");
        IReadOnlyList<SweepRow> rows = SweepResults.Run(sweep, Out("diff"));

        ForkJoinFigure.Table table = Assert.Single(ForkJoinFigure.FromSweep(rows));

        Assert.Equal(((double)rows[1].Metric("cycles") - rows[0].Metric("cycles")) / 8, table.Cycles[ProcessLayoutKind.UArea][0]);
        Assert.Equal(((double)rows[3].Metric("dcache_kernel_misses") - rows[2].Metric("dcache_kernel_misses")) / 8, table.KernelMisses[ProcessLayoutKind.Scattered][0]);
        Assert.Equal(8192, table.DataCacheBytes);
    }

    [Theory]
    [InlineData("""{"cache": "on", "argv0": "forkjoin"}""", """{"layout": ["uarea", "scattered"], "miss_penalty": [10, 20], "args": [["1", "0"], ["1", "2"]]}""", "differs from run 0 in more than layout, dcache and args")]
    [InlineData("""{"cache": "off"}""", """{"layout": ["uarea", "scattered"], "args": [["1", "0"], ["1", "2"]]}""", "has the cache model off")]
    [InlineData("""{"cache": "on"}""", """{"layout": ["uarea", "scattered"], "args": [["1", "2"], ["2", "2"]]}""", "no run of UArea, D$ 8192 B, 1 threads, 0 rounds")]
    [InlineData("""{"cache": "on"}""", """{"layout": ["uarea"], "args": [["1", "0"], ["1", "2"]]}""", "no run of Scattered")]
    [InlineData("""{"cache": "on"}""", """{"layout": ["uarea", "scattered"], "args": [["1", "0"], ["1", "2"], ["1", "3"]]}""", "runs 3 rounds and another run 2")]
    [InlineData("""{"cache": "on"}""", """{"args": [["1", "0"], ["1", "0"]]}""", "are both UArea, D$ 8192 B, 1 threads, 0 rounds")]
    public void A_sweep_that_is_not_one_of_the_forkjoin_figure_is_told_in_one_message(string base_, string axes, string message)
    {
        string options = base_.TrimStart('{').TrimEnd('}');
        string sweep = Sweep("""{"base": {"program": FORKJOIN, OPTIONS}, "axes": AXES}""".Replace("OPTIONS", options, StringComparison.Ordinal).Replace("AXES", axes, StringComparison.Ordinal));

        var e = Assert.Throws<FigureInputException>(() => ForkJoinFigure.FromSweep(SweepResults.Run(sweep, Out("bad"))));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_program_is_not_taken_for_forkjoin()
    {
        string sweep = Sweep("""{"base": {"program": HELLO, "cache": "on"}, "axes": {"layout": ["uarea", "scattered"]}}""");

        var e = Assert.Throws<FigureInputException>(() => ForkJoinFigure.FromSweep(SweepResults.Run(sweep, Out("hello"))));

        Assert.Contains("not the line of user/bin/forkjoin.elf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_sweep_file_is_a_figure_error_not_an_exception_of_dotnet()
    {
        string sweep = Sweep("""{"base": {"program": "missing.elf"}}""");

        var e = Assert.Throws<FigureInputException>(() => SweepResults.Run(sweep, Out("missing")));

        Assert.Contains("failed with status 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_forkjoin_sweep_file_runs_the_figure_of_docs_layouts()
    {
        SweepPlan plan = SweepPlan.Expand(Path.Combine(RepositoryFiles.Root, "user", "sweeps", "forkjoin.json"));

        Assert.Equal(2 * 2 * 17 * 2, plan.Runs.Count);
        Assert.Equal(["2048:2:64", "8192:2:64"], plan.Runs.Select(r => r.Options.Dcache!).Distinct().Order());
        Assert.Equal(["scattered", "uarea"], plan.Runs.Select(r => r.Options.Layout).Distinct().Order());
        Assert.All(plan.Runs, r => Assert.True(r.Options.Cache));
        Assert.All(plan.Runs, r => Assert.Equal("forkjoin", r.Settings.Argv0));
        Assert.Equal(
            [.. Enumerable.Range(1, 17).SelectMany(t => new[] { $"{t} 0", $"{t} {ForkJoinFigure.Rounds}" })],
            plan.Runs.Take(34).Select(r => string.Join(' ', r.Options.Args)));
    }

    [Fact]
    public void The_migration_sweep_moves_every_configuration_at_half_of_its_unmoved_run()
    {
        SweepPlan plan = SweepPlan.Expand(Path.Combine(RepositoryFiles.Root, "user", "sweeps", "migration.json"));

        Assert.Equal(12, plan.Runs.Count);
        foreach (SweepRun run in plan.Runs.Where(r => r.Options.Migrate.Count > 0))
        {
            NocTimingMode timing = run.Options.Timing == "nanvix" ? NocTimingMode.Nanvix : NocTimingMode.Hardware;
            ProcessLayoutKind layout = run.Options.Layout == "scattered" ? ProcessLayoutKind.Scattered : ProcessLayoutKind.UArea;
            ulong half = SeedProcRig.UnmovedCycles(timing, layout, out _) / 2;
            string move = Assert.Single(run.Options.Migrate);
            Assert.True(move.StartsWith($"{half}:", StringComparison.Ordinal), $"user/sweeps/migration.json moves at {move}; half of an unmoved run of {timing}, {layout} is now cycle {half}: write {half} there");
        }

        Assert.Equal(["CC1", "CC10"], plan.Runs.SelectMany(r => r.Options.Migrate).Select(m => m.Split(':')[1]).Distinct().Order());
        Assert.Equal("CC10", MigrationFigure.Farthest(Nanvix.Hal.Machine.Mppa256.Spec()));
    }

    [Fact]
    public void A_small_migration_sweep_gives_the_rows_of_the_direct_moves()
    {
        ulong half = SeedProcRig.UnmovedCycles(NocTimingMode.Hardware, ProcessLayoutKind.Scattered, out string expected) / 2;
        string sweep = Sweep("""
            {"base": {"program": SEEDPROC, "argv0": "seedproc", "args": ["ROUNDS"], "layout": "scattered"},
             "axes": {"migrate": [[], ["HALF:CC1"], ["HALF:CC10"]]}}
            """.Replace("HALF", half.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("ROUNDS", SeedProcRig.Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        List<MigrationFigure.Row> rows = MigrationFigure.FromSweep(SweepResults.Run(sweep, Out("move")), out string headline);

        Assert.Equal(2, rows.Count);
        Assert.Equal(MigrationFigure.DirectRow(NocTimingMode.Hardware, ProcessLayoutKind.Scattered, "CC1", half, expected), rows[0]);
        Assert.Equal(MigrationFigure.DirectRow(NocTimingMode.Hardware, ProcessLayoutKind.Scattered, "CC10", half, expected), rows[1]);
        Assert.Equal([1, 4], rows.Select(r => r.Hops));
        Assert.All(rows, r => Assert.Null(r.Host));
        Assert.Contains($"moved once from CC0 when its clock passes cycle {half:N0}", headline, StringComparison.Ordinal);

        string plot = Path.Combine(_folder, "plots", "migration.png");
        Directory.CreateDirectory(Path.GetDirectoryName(plot)!);
        using var table = new StringWriter();
        MigrationFigure.WriteFromSweep(table, plot, SweepResults.Read(Out("move")));
        Assert.Contains("| hardware | Scattered | CC1 | 1 |", table.ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(plot).Length > 10_000);
    }

    [Fact]
    public void A_migration_sweep_without_its_unmoved_run_is_told_in_one_message()
    {
        string sweep = Sweep("""{"base": {"program": HELLO}, "axes": {"migrate": [["1:CC1"]]}}""");

        var e = Assert.Throws<FigureInputException>(() => MigrationFigure.FromSweep(SweepResults.Run(sweep, Out("lonely")), out _));

        Assert.Contains("has no unmoved run of hardware, uarea beside it", e.Message, StringComparison.Ordinal);
    }

    private static string Text(ForkJoinFigure.Table table)
    {
        using var writer = new StringWriter();
        ForkJoinFigure.WriteTable(writer, table);
        return writer.ToString();
    }

    private static string Json(string text) => JsonSerializer.Serialize(text);

    /// <summary>A sweep file in the test's folder; FORKJOIN, SEEDPROC and HELLO stand for the committed programs' paths.</summary>
    private string Sweep(string text)
    {
        string path = Path.Combine(_folder, $"sweep-{Guid.NewGuid():N}.json");
        foreach (string name in (string[])["forkjoin", "seedproc", "hello"])
        {
            text = text.Replace(name.ToUpperInvariant(), Bin(name), StringComparison.Ordinal);
        }

        File.WriteAllText(path, text);
        return path;
    }

    private string Out(string name) => Path.Combine(_folder, name);
}
