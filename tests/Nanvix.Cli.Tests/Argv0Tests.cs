using System.Text.Json;
using Nanvix.Cli.Sweeps;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// <c>nanvix run --argv0 NAME</c> and the sweep key <c>argv0</c>: the program sees NAME as argv[0] (user/bin/argv0.elf
/// prints it), the statistics still name it by its path, and a sweep hashes it into the run id.
/// </summary>
public sealed class Argv0Tests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-argv0-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Program => RepositoryFiles.UserProgramPath("argv0");

    [Fact]
    public void Without_argv0_the_program_sees_its_path_as_given()
    {
        (int status, string output, string error) = CliRunner.Run("run", Program, "x");

        Assert.Equal(0, status);
        Assert.Equal("", error);
        Assert.Equal($"argv[0]={Program} ({Program.Length} chars), 1 more\n", output);
    }

    [Theory]
    [InlineData("forkjoin")]
    [InlineData("")]
    [InlineData("a name with spaces and ünïcode")]
    public void With_argv0_the_program_sees_that_name_and_its_arguments_follow(string name)
    {
        (int status, string output, string error) = CliRunner.Run("run", "--argv0", name, Program, "--", "a", "-b");

        Assert.Equal(0, status);
        Assert.Equal("", error);
        Assert.Equal($"argv[0]={name} ({System.Text.Encoding.UTF8.GetByteCount(name)} chars), 2 more\n", output);
    }

    [Fact]
    public void The_statistics_still_name_the_program_by_its_path()
    {
        string stats = Path.Combine(_folder, "stats.json");

        Assert.Equal(0, CliRunner.Run("run", "--argv0", "other", "--stats", stats, Program).Status);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(stats));
        Assert.Equal(Program, json.RootElement.GetProperty("program").GetString());
    }

    [Fact]
    public void The_demo_takes_argv0_too()
    {
        (int status, _, string error) = CliRunner.Run("run", "--quiet", "--argv0", "matrix", "--max-cycles", "5000");

        Assert.Equal(124, status);
        Assert.DoesNotContain("argv0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Argv0_with_an_image_is_one_line_and_status_2()
    {
        string image = Path.Combine(RepositoryFiles.Root, "user", "images", "pingpong.json");

        (int status, string output, string error) = CliRunner.Run("run", "--argv0", "x", "--image", image);

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Equal("", output);
        Assert.StartsWith("nanvix: --argv0: an image names each of its programs; give no --argv0 with --image", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argv0_too_long_for_the_initial_stack_is_one_line_and_status_2()
    {
        (int status, string output, string error) = CliRunner.Run("run", "--argv0", new string('n', 3000), Program);

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Equal("", output);
        Assert.Contains("at most 2048 fit on the initial stack", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_sweep_axis_of_argv0_runs_each_name_with_its_own_id()
    {
        string sweep = Sweep("""{"base": {"program": "PROGRAM", "args": ["1"]}, "axes": {"argv0": ["short", "a longer argv0"]}}""");
        SweepPlan plan = SweepPlan.Expand(sweep);

        Assert.Equal(["short", "a longer argv0"], plan.Runs.Select(r => r.Options.Argv0));
        Assert.NotEqual(plan.Runs[0].Id, plan.Runs[1].Id);
        Assert.Equal(0, CliRunner.Run("sweep", sweep, "--out", Out("names"), "--quiet").Status);
        string[] printed = [.. plan.Runs.Select(r => Result(Out("names"), r.Id).GetProperty("stdout").GetString()!)];
        Assert.Equal(["argv[0]=short (5 chars), 1 more\n", "argv[0]=a longer argv0 (14 chars), 1 more\n"], printed);
        Assert.Equal("short", Result(Out("names"), plan.Runs[0].Id).GetProperty("config").GetProperty("argv0").GetString());
    }

    [Fact]
    public void A_sweep_without_argv0_keeps_its_canonical_configuration_and_ids()
    {
        SweepRun plain = SweepPlan.Expand(Sweep("""{"base": {"program": "PROGRAM"}}""")).Runs.Single();
        SweepRun named = SweepPlan.Expand(Sweep("""{"base": {"program": "PROGRAM", "argv0": "PROGRAM"}}""")).Runs.Single();

        using JsonDocument canonical = JsonDocument.Parse(plain.Options.Canonical());
        Assert.False(canonical.RootElement.TryGetProperty("argv0", out _));
        Assert.Null(plain.Settings.Argv0);

        // The same argv[0] given explicitly is another configuration (a figure names it on purpose), with another id.
        Assert.NotEqual(plain.Id, named.Id);
        Assert.Equal(Program, named.Settings.Argv0);
    }

    [Theory]
    [InlineData("""{"base": {"program": "PROGRAM", "argv0": 7}}""", "base.argv0: expected the program's argv[0], a string, found a number")]
    [InlineData("""{"base": {"program": "PROGRAM"}, "axes": {"argv0": ["a", "b\u0000c"]}}""", "axes.argv0[1]: argv[0] cannot hold a NUL character")]
    [InlineData("""{"base": {"image": "x.json", "argv0": "a"}}""", "give no \"cluster\", \"argv0\" or \"args\" with \"image\"")]
    public void Bad_argv0_values_of_a_sweep_are_one_line_and_status_2(string text, string message)
    {
        string sweep = Sweep(text);

        (int status, string output, string error) = CliRunner.Run("sweep", sweep, "--out", Out("bad"));

        Assert.Equal(ExitStatus.BadInput, status);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    private static JsonElement Result(string folder, string id)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "runs", id + ".json")));
        return json.RootElement.Clone();
    }

    /// <summary>A sweep file in the test's folder; PROGRAM stands for the committed argv0.elf.</summary>
    private string Sweep(string text)
    {
        string path = Path.Combine(_folder, $"sweep-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text.Replace("PROGRAM", Program.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal));
        return path;
    }

    private string Out(string name) => Path.Combine(_folder, name);
}
