using System.Text.Json;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

public sealed class MigrateOptionTests
{
    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void A_program_moved_twice_prints_what_it_prints_unmoved(string layout)
    {
        string cpu = RepositoryFiles.UserProgramPath("cpu");
        (int plainStatus, string plain, _) = CliRunner.Run("run", "--layout", layout, cpu, "3");
        (int movedStatus, string moved, string error) = CliRunner.Run("run", "--layout", layout, "--migrate", "300000:CC1", "--migrate", "900000:CC15", cpu, "3");
        (_, string quietly, string quiet) = CliRunner.Run("run", "--quiet", "--layout", layout, "--migrate", "300000:CC1", "--migrate", "900000:CC15", cpu, "3");

        Assert.Equal(plain, moved);
        Assert.Equal(plainStatus, movedStatus);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^nanvix: migration at cycle 3\d{5}: process 1 CC0 -> CC1: ", lines[0]);
        Assert.Matches(@"^nanvix: migration at cycle 9\d{5}: process 1 CC1 -> CC15: ", lines[1]);
        Assert.Equal(plain, quietly);
        Assert.Equal("", quiet);
    }

    [Fact]
    public void Stats_list_each_migration_with_its_bytes_and_downtime()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanvix-migrate-{Guid.NewGuid():N}.json");
        try
        {
            CliRunner.Run("run", "--stats", path, "--migrate", "300000:CC4", RepositoryFiles.UserProgramPath("cpu"), "2");

            using JsonDocument stats = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement migration = Assert.Single(stats.RootElement.GetProperty("migrations").EnumerateArray());
            Assert.Equal("CC0", migration.GetProperty("from").GetString());
            Assert.Equal("CC4", migration.GetProperty("to").GetString());
            Assert.True(migration.GetProperty("bytes").GetInt64() > 40_000);
            Assert.True(migration.GetProperty("downtime_cycles").GetInt64() > 0);
            Assert.Equal("CC4", stats.RootElement.GetProperty("cluster").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_move_after_the_program_ended_is_reported_not_ignored()
    {
        (int status, string output, string error) = CliRunner.Run("run", "--migrate", "99999999:CC2", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(0, status);
        Assert.Equal("hello, world\n", output);
        Assert.Matches(@"^nanvix: --migrate 99999999:CC2: not moved \(asked for cycle 99999999; refused at cycle \d+: process 1 ended \(on CC0\) before it could move\)$", error.TrimEnd());
    }

    [Theory]
    [InlineData("xx", "is not CYCLE:CLUSTER")]
    [InlineData("5:IO0", "is not a compute cluster")]
    [InlineData("-3:CC1", "is not CYCLE:CLUSTER")]
    [InlineData("5:CC1:x", "'x' in '5:CC1:x' is not a mode of migration (modes: stop, precopy, postcopy)")]
    [InlineData("5:CC1:0", "is not a process id")]
    [InlineData("5:CC1:2:3", "'3' in '5:CC1:2:3' is not a mode of migration")]
    [InlineData("5:CC1:x:precopy", "is not a process id")]
    [InlineData("5:CC1:2:precopy:4", "is not CYCLE:CLUSTER[:PID][:MODE]")]
    public void A_malformed_move_is_one_clear_error(string value, string expected)
    {
        (int status, _, string error) = CliRunner.Run("run", "--migrate", value, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_pre_copy_move_prints_the_same_output_with_its_rounds_in_the_report_and_the_stats()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"nanvix-precopy-{Environment.ProcessId}.json");
        string program = RepositoryFiles.UserProgramPath("pages");
        (_, string plain, _) = CliRunner.Run("run", program, "16");
        (int status, string output, string error) = CliRunner.Run("run", "--migrate", "300000:CC3:precopy", "--precopy-rounds", "3", "--stats", stats, program, "16");

        Assert.Equal(0, status);
        Assert.Equal(plain, output);
        Assert.Matches(@"process 1 CC0 -> CC3: .*; pre-copy [1-3] rounds before the freeze \(\d+ bytes; pages \d+", error);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(stats));
        System.Text.Json.JsonElement move = json.RootElement.GetProperty("migrations")[0];
        Assert.Equal("precopy", move.GetProperty("mode").GetString());
        Assert.InRange(move.GetProperty("rounds").GetArrayLength(), 1, 3);
        Assert.True(move.GetProperty("total_cycles").GetUInt64() > move.GetProperty("downtime_cycles").GetUInt64());
        File.Delete(stats);
    }

    [Fact]
    public void A_process_can_ask_for_a_pre_copy_move_of_itself()
    {
        string wander = RepositoryFiles.UserProgramPath("wander");
        (_, string plain, _) = CliRunner.Run("run", wander, "8", "8");
        (int status, string output, string error) = CliRunner.Run("run", wander, "p9", "p10");

        Assert.Equal(0, status);
        Assert.Contains("wander: migrate(p9) = 0, now on node 9", output);
        Assert.Contains("wander: migrate(p10) = 0, now on node 10", output);
        Assert.Equal(plain.Split('\n')[^2], output.Split('\n')[^2]);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(error, @"pre-copy \d+ rounds before the freeze").Count);
    }

    [Theory]
    [InlineData("0", "--precopy-rounds: '0' is not a number of rounds")]
    [InlineData("65", "--precopy-rounds: 65; give 1 to 64 rounds")]
    public void A_round_limit_out_of_range_is_one_clear_error(string rounds, string expected)
    {
        (int status, _, string error) = CliRunner.Run("run", "--precopy-rounds", rounds, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_process_can_move_itself_through_all_16_compute_clusters_with_its_threads()
    {
        string wander = RepositoryFiles.UserProgramPath("wander");
        string[] tour = [.. Enumerable.Range(9, 15).Select(n => $"{n}"), "8"];
        string[] stay = [.. Enumerable.Repeat("8", 16)];

        (int status, string moved, _) = CliRunner.Run(["run", wander, .. tour]);
        (_, string still, _) = CliRunner.Run(["run", wander, .. stay]);

        Assert.Equal(0, status);
        for (int node = 9; node <= 23; node++)
        {
            Assert.Contains($"wander: migrate({node}) = 0, now on node {node}\n", moved);
        }

        Assert.Contains("wander: migrate(8) = 0, now on node 8\n", moved);
        string Checksum(string output) => output.Split('\n').Single(l => l.StartsWith("wander: checksum", StringComparison.Ordinal));
        Assert.Equal(Checksum(still), Checksum(moved));
        Assert.EndsWith("worker counted yes", Checksum(moved));
    }

    [Fact]
    public void Asking_to_move_to_a_node_that_is_not_a_compute_cluster_is_EINVAL()
    {
        (int status, string output, _) = CliRunner.Run("run", RepositoryFiles.UserProgramPath("wander"), "2");

        Assert.Equal(0, status);
        Assert.Contains("wander: migrate(2) = -22, now on node 8", output);
    }

    [Fact]
    public void Moves_in_an_image_name_their_process_and_its_messages_still_arrive_in_order()
    {
        string image = Path.Combine(RepositoryFiles.Root, "user", "images", "stream.json");
        (int status, string output, string error) = CliRunner.Run(
            "run", "-v", "--image", image, "--migrate", "200000:CC3", "--migrate", "300000:CC7:2");

        Assert.Equal(0, status);
        Assert.Contains("[CC3] stream: in order", output);
        Assert.Matches(@"nanvix: migration at cycle \d+: process 1 CC0 -> CC3:", error);
        Assert.Matches(@"nanvix: migration at cycle \d+: process 2 CC5 -> CC7:", error);
    }

    [Fact]
    public void A_move_of_a_process_the_run_does_not_start_is_an_error_before_the_run()
    {
        string image = Path.Combine(RepositoryFiles.Root, "user", "images", "stream.json");

        string stats = Path.Combine(Path.GetTempPath(), $"nanvix-never-{Guid.NewGuid():N}.json");
        (int status, string output, string error) = CliRunner.Run("run", "--stats", stats, "--image", image, "--migrate", "10:CC1:999");
        (int single, _, string alone) = CliRunner.Run("run", "--migrate", "10:CC1:2", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Equal("nanvix: --migrate 10:CC1:999: no process 999 (this run starts processes 1, 2, 3)", error.TrimEnd());
        Assert.False(File.Exists(stats), "bad input leaves no statistics file");
        Assert.Equal(2, single);
        Assert.Equal("nanvix: --migrate 10:CC1:2: no process 2 (this run starts process 1)", alone.TrimEnd());
    }

    [Fact]
    public void A_move_without_verbose_prints_one_line_with_its_cycle_and_quiet_prints_none()
    {
        string hello = RepositoryFiles.UserProgramPath("hello");

        (int status, string output, string error) = CliRunner.Run("run", "--migrate", "10:CC1", hello);
        (_, string quietOutput, string quiet) = CliRunner.Run("run", "--quiet", "--migrate", "10:CC1", hello);

        Assert.Equal(0, status);
        Assert.Equal("hello, world\n", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^nanvix: migration at cycle \d+: process 1 CC0 -> CC1: \d+ bytes .* host \d+\.\d+ ms", line);
        Assert.Equal(output, quietOutput);
        Assert.Equal("", quiet);
    }
}
