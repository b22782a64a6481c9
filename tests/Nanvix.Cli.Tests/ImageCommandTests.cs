using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

public sealed class ImageCommandTests
{
    private static string Image(string name) => Path.Combine(RepositoryFiles.Root, "user", "images", name);

    private static (int Status, string Output, string Error) RunImage(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanvix-image-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.Replace("BIN", Path.Combine(RepositoryFiles.Root, "user", "bin").Replace("\\", "/"), StringComparison.Ordinal));
        try
        {
            return CliRunner.Run("run", "--image", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_image_starts_its_programs_on_their_clusters_and_prefixes_their_lines()
    {
        (int status, string output, _) = CliRunner.Run("run", "--image", Image("pingpong.json"));

        Assert.Equal(0, status);
        Assert.Contains("[CC0] ping: node 8 <-> node 9, 10 round trips of 120 bytes ok", output);
        Assert.Contains("[CC1] pong: node 9 echoed 10 messages", output);
    }

    [Fact]
    public void Independent_programs_on_four_clusters_all_finish()
    {
        (int status, string output, _) = CliRunner.Run("run", "--image", Image("four-clusters.json"));

        Assert.Equal(0, status);
        Assert.Contains("[CC0] demo: 4 threads, total 148480, correct", output);
        Assert.Contains("[CC5] round 1: sort", output);
        Assert.Contains("[CC10] mutex ok", output);
        Assert.Contains("[CC15] hello, world", output);
    }

    [Fact]
    public void Programs_of_an_image_can_start_library_programs_through_the_spawn_service()
    {
        (int status, string output, _) = CliRunner.Run("run", "--image", Image("spawn.json"));

        Assert.Equal(0, status);
        Assert.Contains("[CC0] spawner: started hello on node 13 as pid", output);
        Assert.Contains("[CC5] hello, world", output);
        Assert.Contains("[CC9] mutex ok", output);
    }

    [Fact]
    public void The_status_is_non_zero_when_any_program_fails()
    {
        (int status, _, string error) = RunImage("""
            { "programs": [
              { "cluster": "CC0", "program": "BIN/hello.elf" },
              { "cluster": "CC2", "program": "BIN/fault.elf", "args": ["null"] } ] }
            """);

        Assert.Equal(139, status);
        Assert.Contains("CC2: process 2 thread 0 killed: load page fault", error);
    }

    [Theory]
    [InlineData("{ \"programs\": [ { \"cluster\": \"IO0\", \"program\": \"BIN/hello.elf\" } ] }", "I/O cluster")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC99\", \"program\": \"BIN/hello.elf\" } ] }", "no cluster 'CC99'")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\" } ] }", "needs \"cluster\" and \"program\"")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/none.elf\" } ] }", "none.elf")]
    [InlineData("{ \"programs\": [] }", "no programs")]
    [InlineData("{ \"programs\": [ ", "image")]
    public void A_bad_image_is_one_clear_error(string json, string expected)
    {
        (int status, string output, string error) = RunImage(json);

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void An_image_with_a_program_as_well_is_refused()
    {
        (int status, _, string error) = CliRunner.Run("run", "--image", Image("pingpong.json"), RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Contains("--image", error);
    }
}
