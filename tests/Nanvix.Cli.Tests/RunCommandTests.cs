using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_forwards_output_and_exits_with_the_program_status()
    {
        (int status, string output, _) = CliRunner.Run("run", RepositoryFiles.UserProgramPath("echo"), "x");

        Assert.Equal(1, status);
        Assert.Equal("argc=2\nargv[1]=x (1 chars)\n", output);
    }

    [Fact]
    public void A_faulting_program_ends_with_a_one_line_diagnostic_and_a_nonzero_status()
    {
        (int status, _, string error) = CliRunner.Run("run", RepositoryFiles.UserProgramPath("fault"), "null");

        Assert.Equal(139, status);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^nanvix: CC0: process 1 thread 0 killed: load page fault at pc=0x[0-9a-f]{8} address=0x00000000", line);
    }

    [Fact]
    public void Verbose_reports_instructions_cycles_and_kernel_calls()
    {
        (_, _, string error) = CliRunner.Run("run", "--verbose", RepositoryFiles.UserProgramPath("hello"));

        Assert.Matches(@"nanvix: CC0: \d+ instructions, \d+ cycles .* 2 kernel calls", error);
        Assert.Matches(@"nanvix: total: status 0, \d+ instructions, \d+ cycles .* 2 kernel calls", error);
    }

    [Fact]
    public void A_missing_program_file_is_one_clear_error()
    {
        (int status, string output, string error) = CliRunner.Run("run", "no/such/program.elf");

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.StartsWith("nanvix: cannot read 'no/such/program.elf'", error);
    }

    [Fact]
    public void A_file_that_is_not_an_executable_is_one_clear_error()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "#!/bin/sh\necho not an ELF\n");

            (int status, _, string error) = CliRunner.Run("run", path);

            Assert.Equal(2, status);
            Assert.Contains("not an ELF file", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_executable_is_one_clear_error()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] hello = RepositoryFiles.UserProgram("hello");
            File.WriteAllBytes(path, hello[..(hello.Length / 3)]);

            (int status, _, string error) = CliRunner.Run("run", path);

            Assert.Equal(2, status);
            Assert.Contains("truncated", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_cache_model_changes_cycles_but_not_output()
    {
        string cpu = RepositoryFiles.UserProgramPath("cpu");
        (int plainStatus, string plainOutput, string plainError) = CliRunner.Run("run", "-v", cpu, "1");
        (int cachedStatus, string cachedOutput, string cachedError) = CliRunner.Run("run", "-v", "--cache", "on", cpu, "1");

        Assert.Equal((plainStatus, plainOutput), (cachedStatus, cachedOutput));
        Assert.DoesNotContain("I$", plainError);
        Assert.Matches(@"I\$ user \d+ accesses, \d+ hits, [1-9]\d* misses", cachedError);
        Assert.Matches(@"; kernel \d+ accesses, \d+ hits, [1-9]\d* misses", cachedError);
        Assert.Matches(@"D\$ user \d+ accesses", cachedError);
        Assert.True(Cycles(cachedError) > Cycles(plainError));
        Assert.Equal(Instructions(cachedError), Instructions(plainError));
    }

    [Theory]
    [InlineData("--max-cycles", "0")]
    [InlineData("--max-cycles", "abc")]
    [InlineData("--max-instructions", "-1")]
    [InlineData("--miss-penalty", "0")]
    [InlineData("--miss-penalty", "abc")]
    [InlineData("--uarea-gap", "0")]
    [InlineData("--uarea-gap", "100")]
    [InlineData("--uarea-gap", "-64")]
    [InlineData("--uarea-gap", "99999")]
    public void A_bad_number_is_one_error_line_and_status_2_never_an_internal_error(string option, string value)
    {
        (int status, string output, string error) = CliRunner.Run("run", "--cache", "on", option, value, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.StartsWith($"nanvix: {option}: ", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Fact]
    public void A_gap_between_user_areas_changes_cycles_only_and_is_recorded_and_scattered_refuses_it()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"nanvix-gap-{Environment.ProcessId}.json");
        string forkjoin = RepositoryFiles.UserProgramPath("forkjoin");
        try
        {
            (int plainStatus, string plainOutput, _) = CliRunner.Run("run", "--cache", "on", forkjoin, "4", "2");
            (int status, string output, _) = CliRunner.Run("run", "--cache", "on", "--uarea-gap", "960", "--stats", stats, forkjoin, "4", "2");

            Assert.Equal((plainStatus, plainOutput), (status, output));
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(stats));
            Assert.Equal(960, json.RootElement.GetProperty("uarea_gap").GetInt32());
        }
        finally
        {
            File.Delete(stats);
        }

        (int refused, _, string error) = CliRunner.Run("run", "--layout", "scattered", "--uarea-gap", "64", forkjoin);
        Assert.Equal(2, refused);
        Assert.Contains("--layout uarea", error);
    }

    [Fact]
    public void An_unknown_cache_setting_is_refused()
    {
        (int status, _, string error) = CliRunner.Run("run", "--cache", "maybe", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Contains("maybe", error);
    }

    private static ulong Cycles(string verbose) =>
        ulong.Parse(System.Text.RegularExpressions.Regex.Match(verbose, @"(\d+) cycles").Groups[1].Value);

    private static ulong Instructions(string verbose) =>
        ulong.Parse(System.Text.RegularExpressions.Regex.Match(verbose, @"(\d+) instructions").Groups[1].Value);
}
