using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary><c>nanvix run</c>'s choice of cluster, process layout and NoC timing, and the built-in demo.</summary>
public sealed class RunOptionsTests
{
    [Fact]
    public void Run_on_cc5_prints_the_same_output_as_on_cc0()
    {
        string threads = RepositoryFiles.UserProgramPath("threads");
        (int cc0Status, string cc0Output, _) = CliRunner.Run("run", threads, "all");
        (int cc5Status, string cc5Output, _) = CliRunner.Run("run", "--cluster", "CC5", threads, "all");

        Assert.Equal(0, cc0Status);
        Assert.Equal((cc0Status, cc0Output), (cc5Status, cc5Output));
    }

    [Fact]
    public void Verbose_names_the_cluster_and_the_layout_it_ran_with()
    {
        (_, _, string error) = CliRunner.Run("run", "-v", "--cluster", "cc7", "--layout", "scattered", "--timing", "nanvix", RepositoryFiles.UserProgramPath("hello"));

        Assert.Contains("nanvix: mppa256, layout scattered, noc timing nanvix, cache off", error);
        Assert.Matches(@"nanvix: process 1 \(.*hello\.elf\): status 0, on CC7, \d+ instructions, 2 kernel calls", error);
        Assert.Matches(@"nanvix: CC7: \d+ instructions", error);
    }

    [Theory]
    [InlineData("IO0")]
    [InlineData("CC16")]
    [InlineData("xyz")]
    public void A_cluster_that_is_not_a_compute_cluster_is_one_clear_error_listing_the_valid_ones(string name)
    {
        (int status, string output, string error) = CliRunner.Run("run", "--cluster", name, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        string line = error.Split('\n')[0];
        Assert.Contains($"'{name}' is not a compute cluster of mppa256", line);
        Assert.Contains("CC0, CC1,", line);
        Assert.EndsWith("CC15)", line.TrimEnd());
    }

    [Fact]
    public void The_scattered_layout_prints_the_same_output_as_the_uarea_layout()
    {
        string threads = RepositoryFiles.UserProgramPath("threads");
        (int uareaStatus, string uareaOutput, _) = CliRunner.Run("run", "--layout", "uarea", threads, "all");
        (int scatteredStatus, string scatteredOutput, _) = CliRunner.Run("run", "--layout", "scattered", threads, "all");

        Assert.Equal(0, uareaStatus);
        Assert.Contains("all 10 cases ok", uareaOutput);
        Assert.Equal((uareaStatus, uareaOutput), (scatteredStatus, scatteredOutput));
    }

    [Fact]
    public void The_nanvix_timing_mode_is_accepted_and_changes_nothing_for_programs_without_noc()
    {
        string hello = RepositoryFiles.UserProgramPath("hello");

        Assert.Equal(CliRunner.Run("run", hello), CliRunner.Run("run", "--timing", "nanvix", hello));
    }

    [Fact]
    public void Run_without_a_program_runs_the_built_in_demo_and_moves_it_with_its_threads()
    {
        (int status, string output, string error) = CliRunner.Run("run");

        Assert.Equal(0, status);
        Assert.Contains("demo: 4 threads, total 148480, correct", output);
        string report = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^nanvix: migration at cycle \d+: process 1 CC0 -> CC1: \d+ bytes \(sections \d+, stacks \d+, kernel state \d+, contexts 660, IKC 0, page list \d+\); freeze \d+ cycles, transfer \d+ cycles, .* downtime \d+ cycles", report);
    }

    [Fact]
    public void The_demo_prints_the_same_with_and_without_its_move()
    {
        (_, string moved, _) = CliRunner.Run("run");
        (_, string still, _) = CliRunner.Run("run", "--migrate", "999999999:CC1");

        Assert.Equal(still, moved);
    }

    [Fact]
    public void The_built_in_demo_is_the_committed_demo_image()
    {
        Assert.Equal(RepositoryFiles.UserProgram("demo"), DemoProgram.Image());
    }

    [Theory]
    [InlineData("--cluster", "")]
    [InlineData("--layout", "contiguous")]
    [InlineData("--timing", "fast")]
    [InlineData("--cache", "maybe")]
    public void A_bad_flag_value_is_one_clear_error_naming_the_flag(string flag, string value)
    {
        (int status, string output, string error) = CliRunner.Run("run", flag, value, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"nanvix: {flag}: ", lines[0]);
        Assert.Contains($"'{value}'", lines[0]);
        Assert.Equal("Try 'nanvix run --help'.", lines[1]);
    }

    [Fact]
    public void An_unknown_flag_before_the_program_is_an_error_not_a_missing_file()
    {
        (int status, string output, string error) = CliRunner.Run("run", "--turbo", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Contains("unknown option '--turbo'", error);
    }

    [Fact]
    public void Option_values_are_read_ignoring_case_everywhere()
    {
        (int status, string output, string error) = CliRunner.Run(
            "run", "-v", "--machine", "MPPA256", "--cluster", "cc1", "--layout", "UAREA", "--timing", "Nanvix", "--cache", "ON", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(0, status);
        Assert.Equal("hello, world\n", output);
        Assert.Contains("nanvix: mppa256, layout uarea, noc timing nanvix, cache on", error);
        Assert.Contains("nanvix: CC1: ", error);
        Assert.Equal(0, CliRunner.Run("layout", "--layout", "Scattered", "--machine", "SMALL").Status);
        Assert.Equal(0, CliRunner.Run("info", "--machine", "Small").Status);
    }

    [Fact]
    public void Run_takes_the_small_machine_too()
    {
        (int status, string output, string error) = CliRunner.Run("run", "-v", "--machine", "small", "--cache", "on", "--cluster", "CC3", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(0, status);
        Assert.Equal("hello, world\n", output);
        Assert.Contains("nanvix: small, layout uarea", error);
        Assert.Matches(@"nanvix: CC3: \d+ instructions, \d+ cycles \(\d+\.\d us at 100 MHz\)", error);
    }

    [Fact]
    public void A_cluster_the_chosen_machine_does_not_have_is_one_clear_error()
    {
        (int status, _, string error) = CliRunner.Run("run", "--machine", "small", "--cluster", "CC9", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.StartsWith("nanvix: --cluster: 'CC9' is not a compute cluster of small (compute clusters: CC0, CC1, CC2, CC3)", error);
    }

    [Fact]
    public void An_image_with_a_cluster_flag_is_refused_rather_than_the_flag_ignored()
    {
        (int status, string output, string error) = CliRunner.Run("run", "--cluster", "CC4", "--image", Path.Combine(RepositoryFiles.Root, "user", "images", "pingpong.json"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.StartsWith("nanvix: --cluster: an image says where each of its programs starts; give no --cluster with --image", error);
    }
}
