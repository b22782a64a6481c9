using System.Diagnostics;
using System.Text.Json;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// <c>--max-cycles</c>, <c>--max-instructions</c> and interrupts: the run stops with a clear line and its own status,
/// and the summary and the statistics file are complete, marked with why the run stopped.
/// </summary>
public sealed class RunBudgetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-budget-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>cpu.elf with this many rounds runs for minutes: only a budget or an interrupt ends it in a test.</summary>
    private const string Forever = "100000";

    [Fact]
    public void Max_cycles_stops_a_long_run_with_status_124_the_summary_and_complete_stats()
    {
        string path = Path.Combine(_folder, "budget.json");

        (int status, string output, string error) = CliRunner.Run("run", "-v", "--max-cycles", "2_000_000", "--stats", path, RepositoryFiles.UserProgramPath("cpu"), Forever);

        Assert.Equal(124, status);
        Assert.StartsWith("round 0:", output);
        Assert.Matches(@"nanvix: stopped at cycle 2\d{6} \(\d+ instructions\): --max-cycles 2000000 reached; 1 process still running", error);
        Assert.Contains("nanvix: process 1 (", error);
        Assert.Contains("still running, on CC0", error);
        Assert.Contains("nanvix: total: status 124,", error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement stats = json.RootElement;
        Assert.Equal("budget", stats.GetProperty("stopped").GetString());
        Assert.Equal(124, stats.GetProperty("status").GetInt32());
        Assert.True(stats.GetProperty("cycles").GetUInt64() >= 2_000_000);
        Assert.Equal(JsonValueKind.Null, Assert.Single(stats.GetProperty("programs").EnumerateArray()).GetProperty("status").ValueKind);
    }

    [Fact]
    public void Max_instructions_stops_the_run_the_same_way()
    {
        (int status, _, string error) = CliRunner.Run("run", "--max-instructions", "500000", RepositoryFiles.UserProgramPath("cpu"), Forever);

        Assert.Equal(124, status);
        Assert.Matches(@"nanvix: stopped at cycle \d+ \(5\d{5} instructions\): --max-instructions 500000 reached; 1 process still running", error);
    }

    [Fact]
    public void A_budget_stop_is_deterministic()
    {
        string first = Path.Combine(_folder, "first.json");
        string second = Path.Combine(_folder, "second.json");

        CliRunner.Run("run", "--max-cycles", "1000000", "--stats", first, "--image", Path.Combine(RepositoryFiles.Root, "user", "images", "four-clusters.json"));
        CliRunner.Run("run", "--max-cycles", "1000000", "--stats", second, "--image", Path.Combine(RepositoryFiles.Root, "user", "images", "four-clusters.json"));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(first));
        Assert.Equal("budget", json.RootElement.GetProperty("stopped").GetString());
    }

    [Fact]
    public void A_program_that_ends_within_the_budget_is_not_stopped()
    {
        string path = Path.Combine(_folder, "hello.json");

        (int status, _, string error) = CliRunner.Run("run", "--max-cycles", "1000000000", "--stats", path, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(0, status);
        Assert.Equal("", error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.False(json.RootElement.TryGetProperty("stopped", out _));
    }

    [Theory]
    [InlineData("--max-cycles", "0")]
    [InlineData("--max-cycles", "-5")]
    [InlineData("--max-instructions", "lots")]
    public void A_budget_that_is_not_a_count_is_one_clear_error(string flag, string value)
    {
        (int status, _, string error) = CliRunner.Run("run", flag, value, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.StartsWith($"nanvix: {flag}: '{value}' is not a number of ", error);
        Assert.DoesNotContain("System.", error);
    }

    [Fact]
    public void An_interrupt_during_a_run_stops_it_with_status_130_and_complete_stats()
    {
        string path = Path.Combine(_folder, "interrupted.json");
        var interrupt = new RunInterrupt();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timer = new Timer(_ => interrupt.Request(RunInterrupt.SigInt), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);

        int status = NanvixCommand.Run(["run", "-v", "--stats", path, RepositoryFiles.UserProgramPath("cpu"), Forever], output, error, null, interrupt);

        Assert.Equal(130, status);
        Assert.Matches(@"nanvix: stopped at cycle \d+ \(\d+ instructions\): interrupted by SIGINT; 1 process still running", error.ToString());
        Assert.Contains("nanvix: total: status 130,", error.ToString());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("interrupted", json.RootElement.GetProperty("stopped").GetString());
        Assert.Equal(130, json.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public void An_interrupt_stops_an_image_and_every_program_in_it()
    {
        var interrupt = new RunInterrupt();
        interrupt.Request(RunInterrupt.SigTerm);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int status = NanvixCommand.Run(["run", "--image", Path.Combine(RepositoryFiles.Root, "user", "images", "four-clusters.json")], output, error, null, interrupt);

        Assert.Equal(143, status);
        Assert.Matches(@"interrupted by SIGTERM; 4 processes still running", error.ToString());
    }

    [SkippableTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void A_signal_to_a_running_nanvix_stops_it_with_the_summary_and_complete_stats(string signal, int expected)
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals only");
        string path = Path.Combine(_folder, "signal.json");
        string nanvix = Path.Combine(AppContext.BaseDirectory, "nanvix.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[nanvix, "run", "-v", "--stats", path, RepositoryFiles.UserProgramPath("cpu"), Forever])
        {
            start.ArgumentList.Add(arg);
        }

        using Process child = Process.Start(start)!;
        Task<string> error = child.StandardError.ReadToEndAsync();

        // The first round's line means the run loop has started, and with it the signal handlers.
        string? first = child.StandardOutput.ReadLine();
        Assert.StartsWith("round 0:", first);
        using (Process kill = Process.Start("kill", [$"-{signal}", $"{child.Id}"]))
        {
            kill.WaitForExit();
        }

        child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(60_000), "nanvix did not stop");
        Assert.Equal(expected, child.ExitCode);
        Assert.Contains($"interrupted by SIG{signal}; 1 process still running", error.Result);
        Assert.Contains($"nanvix: total: status {expected},", error.Result);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("interrupted", json.RootElement.GetProperty("stopped").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_long_run_on_a_terminal_shows_a_progress_line_and_quiet_turns_it_off(bool quiet)
    {
        // The line comes after 2 s of host time; the interrupt ends the run a little later.
        var interrupt = new RunInterrupt();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timer = new Timer(_ => interrupt.Request(RunInterrupt.SigInt), null, TimeSpan.FromSeconds(3.5), Timeout.InfiniteTimeSpan);
        string[] args = ["run", .. quiet ? ["--quiet"] : Array.Empty<string>(), RepositoryFiles.UserProgramPath("cpu"), Forever];

        int status = NanvixCommand.Run(args, output, error, null, interrupt, progress: true);

        Assert.Equal(130, status);
        if (quiet)
        {
            Assert.DoesNotContain("\r", error.ToString());
        }
        else
        {
            Assert.Matches(@"\rnanvix: [\d,]+ cycles, [\d,]+ instructions, \d+ M instructions/s \(host \d+ s\)", error.ToString());
            Assert.Matches(@"\r +\rnanvix: stopped at cycle", error.ToString());
        }
    }
}
