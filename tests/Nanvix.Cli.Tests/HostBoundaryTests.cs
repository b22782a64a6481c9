using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// What <c>nanvix</c> does with hostile host input: one line <c>nanvix: ...</c> and status 2, never a .NET exception;
/// a bug of its own is status 70 with the details in a file the line names.
/// </summary>
public sealed class HostBoundaryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertOneCleanLine(string error)
    {
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nanvix: ", line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain(" at ", line);
    }

    [SkippableFact]
    public void A_device_that_never_ends_is_refused_unread_at_the_cluster_memory_limit()
    {
        Skip.IfNot(File.Exists("/dev/zero"), "no /dev/zero on this host");

        (int status, string output, string error) = CliRunner.Run("run", "/dev/zero");

        Assert.Equal(2, status);
        Assert.Equal("", output);
        AssertOneCleanLine(error);
        Assert.Contains("cannot read '/dev/zero': larger than 2097152 bytes (the memory of a mppa256 compute cluster", error);
    }

    [SkippableFact]
    public void An_image_that_never_ends_is_refused_unread_at_the_image_limit()
    {
        Skip.IfNot(File.Exists("/dev/zero"), "no /dev/zero on this host");

        (int status, _, string error) = CliRunner.Run("run", "--image", "/dev/zero");

        Assert.Equal(2, status);
        AssertOneCleanLine(error);
        Assert.Contains("cannot read '/dev/zero': larger than 1048576 bytes (no image is that big)", error);
    }

    [Fact]
    public void A_program_file_larger_than_a_cluster_memory_is_refused_unread()
    {
        string path = Path.Combine(_folder, "huge.elf");
        using (var file = File.Create(path))
        {
            file.SetLength(3 * 1024 * 1024);
        }

        (int status, _, string error) = CliRunner.Run("run", path);

        Assert.Equal(2, status);
        AssertOneCleanLine(error);
        Assert.Contains("larger than 2097152 bytes", error);
    }

    [SkippableFact]
    public void A_statistics_file_on_a_full_device_is_one_clear_error_after_the_run()
    {
        Skip.IfNot(File.Exists("/dev/full"), "no /dev/full on this host");

        (int status, string output, string error) = CliRunner.Run("run", "--stats", "/dev/full", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("hello, world\n", output);
        AssertOneCleanLine(error);
        Assert.Equal("nanvix: cannot write the statistics file '/dev/full': No space left on device", error.TrimEnd());
    }

    [Theory]
    [InlineData("program")]
    [InlineData("--image")]
    [InlineData("--stats")]
    public void A_directory_where_a_file_belongs_says_it_is_a_directory(string where)
    {
        string[] args = where == "program" ? ["run", _folder] : ["run", where, _folder, .. where == "--stats" ? [RepositoryFiles.UserProgramPath("hello")] : Array.Empty<string>()];

        (int status, _, string error) = CliRunner.Run(args);

        Assert.Equal(2, status);
        AssertOneCleanLine(error);
        Assert.EndsWith($"'{_folder}': is a directory", error.TrimEnd());
    }

    [Fact]
    public void A_path_with_a_nul_character_is_one_clear_error()
    {
        (int status, _, string error) = CliRunner.Run("run", "a\0b.elf");

        Assert.Equal(2, status);
        AssertOneCleanLine(error);
        Assert.Contains("a path cannot hold a NUL character", error);
    }

    [Theory]
    [InlineData("""{ "programs": [ { "cluster": "CC0", "program": "BIN/echo.elf", "args": [null] } ] }""", "programs[0].args[0]: expected an argument string, found null")]
    [InlineData("""{ "programs": [null] }""", "programs[0]: expected an object with \"cluster\", \"program\" and \"args\", found null")]
    [InlineData("""{ "programs": [ { "cluster": "CC0", "program": "BIN/hello.elf" } ], "library": [null] }""", "library[0]: expected a path to an ELF file, found null")]
    [InlineData("""{ "programs": [ { "cluster": "CC0", "program": "a\u0000b" } ] }""", "programs[0].program: a path cannot hold a NUL character")]
    [InlineData("""{ "programs": [ { "cluster": "CC0", "program": "BIN/echo.elf", "args": ["a\u0000b"] } ] }""", "programs[0].args[0]: an argument cannot hold a NUL character")]
    [InlineData("""{ "programs": [ { "cluster": null, "program": "BIN/echo.elf" } ] }""", "programs[0].cluster: expected the name of a compute cluster (CC0, CC1, ...), found null")]
    [InlineData("""null""", "the file: expected an object")]
    public void Nulls_in_an_image_are_one_clear_error_naming_the_place(string json, string expected)
    {
        (int status, string output, string error) = ImageCommandTests.RunImage(json);

        Assert.Equal(2, status);
        Assert.Equal("", output);
        AssertOneCleanLine(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_mistyped_command_is_one_error_and_where_to_look()
    {
        (int status, string output, string error) = CliRunner.Run("frobnicate");

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Equal(["nanvix: Unrecognized command or argument 'frobnicate'.", "Try 'nanvix --help'."], error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void No_command_is_one_clear_error()
    {
        (int status, _, string error) = CliRunner.Run();

        Assert.Equal(2, status);
        Assert.StartsWith("nanvix: no command given (commands: info, run, layout, sweep)", error);
    }

    [Fact]
    public void An_internal_error_is_status_70_with_the_details_in_the_file_it_names()
    {
        using var error = new StringWriter();

        int status = NanvixCommand.Run(["info"], new BrokenWriter(), error);

        Assert.Equal(70, status);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nanvix: internal error (a bug in nanvix, not in the input): InvalidOperationException: the writer broke; details in ", line);
        string path = line[(line.IndexOf("; details in ", StringComparison.Ordinal) + "; details in ".Length)..];
        try
        {
            string details = File.ReadAllText(path);
            Assert.StartsWith("nanvix info\n", details);
            Assert.Contains("System.InvalidOperationException: the writer broke", details);
            Assert.Contains("ProcessorReport.Write", details);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An output that fails as no output should: what nanvix does then is a bug of its own to report.</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the writer broke");

        public override void Write(string? value) => throw new InvalidOperationException("the writer broke");

        public override void WriteLine(string? value) => throw new InvalidOperationException("the writer broke");
    }
}
