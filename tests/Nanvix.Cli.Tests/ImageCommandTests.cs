using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

public sealed class ImageCommandTests
{
    private static string Image(string name) => Path.Combine(RepositoryFiles.Root, "user", "images", name);

    internal static (int Status, string Output, string Error) RunImage(string json, params string[] options)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanvix-image-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.Replace("BIN", Path.Combine(RepositoryFiles.Root, "user", "bin").Replace("\\", "/"), StringComparison.Ordinal));
        try
        {
            return CliRunner.Run(["run", "--image", path, .. options]);
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
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\" } ] }", "programs[0]: needs \"cluster\" and \"program\"")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/none.elf\" } ] }", "none.elf")]
    [InlineData("{ \"programs\": [] }", "no programs")]
    [InlineData("{ \"programs\": [ ", "not valid JSON at line 1, column ")]
    [InlineData("", "the file is empty")]
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

    [Theory]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/hello.elf\" } ] } // a comment", "no comments")]
    [InlineData("{ /* a comment */ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/hello.elf\" } ] }", "no comments")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/hello.elf\" }, ] }", "a comma after the last element")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/hello.elf\", } ] }", "a comma after the last element")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/hello.elf\" } ], \"programs\": [] }", "key \"programs\" given twice")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"cluster\": \"CC1\", \"program\": \"BIN/hello.elf\" } ] }", "programs[0]: key \"cluster\" given twice")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/echo.elf\", \"arg\": [\"x\"] } ] }", "programs[0]: unknown key \"arg\" (a program takes \"cluster\", \"program\", \"args\")")]
    [InlineData("{ \"program\": [] }", "unknown key \"program\" (the top level takes \"description\", \"programs\", \"library\")")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/echo.elf\", \"args\": \"x\" } ] }", "programs[0].args: expected an array, each element an argument string, found a string")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/echo.elf\", \"args\": [1] } ] }", "programs[0].args[0]: expected an argument string, found a number")]
    [InlineData("{ \"programs\": { \"cluster\": \"CC0\" } }", "programs: expected an array of programs, found an object")]
    [InlineData("{ \"description\": 7, \"programs\": [] }", "description: expected a string, found a number")]
    [InlineData("{ \"programs\": [] } x", "is invalid after a single JSON value")]
    [InlineData("{ \"\\udc00\": [] }", "a key holds a lone UTF-16 surrogate")]
    [InlineData("{ \"programs\": [ { \"cluster\": \"CC0\", \"program\": \"BIN/echo.elf\", \"args\": [\"\\ud800\"] } ] }", "programs[0].args[0]: the string holds a lone UTF-16 surrogate")]
    public void An_image_is_read_strictly_and_a_mistake_names_the_key_and_what_was_expected(string json, string expected)
    {
        (int status, string output, string error) = RunImage(json);

        Assert.Equal(2, status);
        Assert.Equal("", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("System.", line);
        Assert.DoesNotContain("`1", line);
        Assert.DoesNotContain("isFinalBlock", line);
        Assert.DoesNotContain("LineNumber", line);
    }

    [Fact]
    public void A_program_may_be_listed_twice_on_one_cluster()
    {
        (int status, string output, _) = RunImage("""
            { "programs": [
              { "cluster": "CC3", "program": "BIN/hello.elf" },
              { "cluster": "CC3", "program": "BIN/hello.elf" } ] }
            """);

        Assert.Equal(0, status);
        Assert.Equal(2, output.Split('\n').Count(l => l == "[CC3] hello, world"));
    }

    [Fact]
    public void A_program_that_sends_the_name_service_a_message_that_is_no_request_gets_no_answer_and_the_run_goes_on()
    {
        // ping's peer is node 0, where the name service listens: its message names no node to answer (found by the fuzz test).
        (int status, _, string error) = RunImage("""{ "programs": [ { "cluster": "CC0", "program": "BIN/pingpong.elf", "args": ["ping", "0", "2", "120"] } ] }""");

        Assert.Equal(137, status);
        Assert.Equal("nanvix: CC0: process 1 killed: deadlock: thread 0 waits for a message on mailbox 0", error.TrimEnd());
    }
}
