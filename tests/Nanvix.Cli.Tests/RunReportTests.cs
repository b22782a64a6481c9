using System.Text.Json;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// One report for every run: each program with the clusters it ran on, each cluster with its cores and caches, the
/// totals, the NoC and the moves; <c>-v</c> and <c>--stats</c> say the same, and the totals add up.
/// </summary>
public sealed class RunReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string ImagePath(string name) => Path.Combine(RepositoryFiles.Root, "user", "images", name);

    /// <summary>Runs with --stats (and -v), returns the status, the stats and the -v lines.</summary>
    private (int Status, JsonElement Stats, string Error) RunWithStats(params string[] args)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        (int status, _, string error) = CliRunner.Run(["run", "-v", "--stats", path, .. args]);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        return (status, json.RootElement.Clone(), error);
    }

    /// <summary>
    /// The totals are the sums (instructions, kernel calls) and the maximum (cycles) over the clusters, each cluster's
    /// instructions the sum over its cores, and each process's counts the sum over the clusters it ran on; when every
    /// process ended, the processes' counts add up to the totals too.
    /// </summary>
    private static void AssertTotalsAddUp(JsonElement stats)
    {
        JsonElement[] programs = [.. stats.GetProperty("programs").EnumerateArray()];
        foreach (JsonElement program in programs)
        {
            JsonElement[] shares = [.. program.GetProperty("per_cluster").EnumerateArray()];
            Assert.Equal(program.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()).Distinct(), shares.Select(s => s.GetProperty("cluster").GetString()));
            Assert.Equal(program.GetProperty("instructions").GetUInt64(), shares.Aggregate(0UL, (sum, s) => sum + s.GetProperty("instructions").GetUInt64()));
            Assert.Equal(program.GetProperty("kernel_calls").GetUInt64(), shares.Aggregate(0UL, (sum, s) => sum + s.GetProperty("kernel_calls").GetUInt64()));
        }

        if (!stats.TryGetProperty("stopped", out _))
        {
            Assert.Equal(stats.GetProperty("instructions").GetUInt64(), programs.Aggregate(0UL, (sum, p) => sum + p.GetProperty("instructions").GetUInt64()));
            Assert.Equal(stats.GetProperty("kernel_calls").GetUInt64(), programs.Aggregate(0UL, (sum, p) => sum + p.GetProperty("kernel_calls").GetUInt64()));
        }

        JsonElement[] clusters = [.. stats.GetProperty("clusters").EnumerateArray()];
        Assert.NotEmpty(clusters);
        Assert.Equal(stats.GetProperty("instructions").GetUInt64(), clusters.Aggregate(0UL, (sum, c) => sum + c.GetProperty("instructions").GetUInt64()));
        Assert.Equal(stats.GetProperty("kernel_calls").GetUInt64(), clusters.Aggregate(0UL, (sum, c) => sum + c.GetProperty("kernel_calls").GetUInt64()));
        Assert.Equal(stats.GetProperty("cycles").GetUInt64(), clusters.Max(c => c.GetProperty("cycles").GetUInt64()));
        foreach (JsonElement cluster in clusters)
        {
            JsonElement[] cores = [.. cluster.GetProperty("cores").EnumerateArray()];
            Assert.Equal(cluster.GetProperty("instructions").GetUInt64(), cores.Aggregate(0UL, (sum, c) => sum + c.GetProperty("instructions").GetUInt64()));
            Assert.Equal(cluster.GetProperty("cycles").GetUInt64(), cores.Max(c => c.GetProperty("cycles").GetUInt64()));
        }
    }

    /// <summary>Every count the -v summary prints is the statistics file's.</summary>
    private static void AssertVerboseAgrees(JsonElement stats, string error)
    {
        foreach (JsonElement cluster in stats.GetProperty("clusters").EnumerateArray())
        {
            string name = cluster.GetProperty("cluster").GetString()!;
            Assert.Contains($"nanvix: {name}: {cluster.GetProperty("instructions").GetUInt64()} instructions, {cluster.GetProperty("cycles").GetUInt64()} cycles", error);
            Assert.Matches($@"nanvix: {name}: .* {cluster.GetProperty("kernel_calls").GetUInt64()} kernel calls", error);
        }

        Assert.Contains($"nanvix: total: status {stats.GetProperty("status").GetInt32()}, {stats.GetProperty("instructions").GetUInt64()} instructions, {stats.GetProperty("cycles").GetUInt64()} cycles", error);
        Assert.Matches($@"nanvix: total: .* {stats.GetProperty("kernel_calls").GetUInt64()} kernel calls", error);
        foreach (JsonElement program in stats.GetProperty("programs").EnumerateArray())
        {
            string[] clusters = [.. program.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()!)];
            Assert.Contains($"nanvix: process {program.GetProperty("pid").GetInt32()} (", error);
            Assert.Contains($", on {string.Join(" -> ", clusters)}, {program.GetProperty("instructions").GetUInt64()} instructions", error);
            Assert.Matches($@"nanvix: process {program.GetProperty("pid").GetInt32()} .* {program.GetProperty("kernel_calls").GetUInt64()} kernel calls", error);
        }
    }

    [Fact]
    public void After_a_move_the_report_counts_the_source_and_the_target_and_the_totals_add_up()
    {
        (int status, JsonElement stats, string error) = RunWithStats("--cache", "on", "--migrate", "10:CC1", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(0, status);
        Assert.Equal(["CC0", "CC1"], stats.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("cluster").GetString()));
        JsonElement program = Assert.Single(stats.GetProperty("programs").EnumerateArray());
        Assert.Equal(["CC0", "CC1"], program.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("CC1", stats.GetProperty("cluster").GetString());
        Assert.All(stats.GetProperty("clusters").EnumerateArray(), c => Assert.True(c.GetProperty("instructions").GetUInt64() > 0));
        Assert.All(
            stats.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("cores").EnumerateArray()).Where(core => core.GetProperty("instructions").GetUInt64() > 0),
            core => Assert.True(core.GetProperty("icache").GetProperty("user").GetProperty("accesses").GetUInt64() > 0));
        JsonElement move = Assert.Single(stats.GetProperty("migrations").EnumerateArray());
        Assert.Equal(1, move.GetProperty("pid").GetInt32());
        Assert.Contains($"nanvix: migration at cycle {move.GetProperty("freeze_cycle").GetUInt64()}: process 1 CC0 -> CC1", error);
        Assert.True(stats.GetProperty("noc").GetProperty("bytes").GetInt64() >= move.GetProperty("bytes").GetInt64());
        AssertTotalsAddUp(stats);
        AssertVerboseAgrees(stats, error);
    }

    [Fact]
    public void An_image_reports_per_program_per_cluster_the_noc_and_its_moves()
    {
        (int status, JsonElement stats, string error) = RunWithStats("--image", ImagePath("stream.json"), "--migrate", "200000:CC3");

        Assert.Equal(0, status);
        Assert.False(stats.TryGetProperty("program", out _));
        Assert.False(stats.TryGetProperty("cluster", out _));
        JsonElement[] programs = [.. stats.GetProperty("programs").EnumerateArray()];
        Assert.Equal([1, 2, 3], programs.Select(p => p.GetProperty("pid").GetInt32()));
        Assert.All(programs, p => Assert.Equal(0, p.GetProperty("status").GetInt32()));
        Assert.Equal(["CC0", "CC3"], programs[0].GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["CC0", "CC3", "CC5", "CC10"], stats.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("cluster").GetString()));
        JsonElement noc = stats.GetProperty("noc");
        Assert.True(noc.GetProperty("transfers").GetInt64() >= 400, "400 messages at least");
        Assert.True(noc.GetProperty("wire_bytes").GetInt64() > noc.GetProperty("bytes").GetInt64());
        JsonElement link = noc.GetProperty("busiest_link");
        Assert.StartsWith("router", link.GetProperty("link").GetString());
        Assert.True(link.GetProperty("wire_bytes").GetInt64() > 0);
        Assert.Contains($"nanvix: noc: {noc.GetProperty("transfers").GetInt64()} transfers, {noc.GetProperty("bytes").GetInt64()} bytes", error);
        Assert.Single(stats.GetProperty("migrations").EnumerateArray());
        AssertTotalsAddUp(stats);
        AssertVerboseAgrees(stats, error);
    }

    [Fact]
    public void Two_runs_of_an_image_write_identical_stats_files()
    {
        string first = Path.Combine(_folder, "first.json");
        string second = Path.Combine(_folder, "second.json");

        CliRunner.Run("run", "--cache", "on", "--stats", first, "--image", ImagePath("pingpong.json"), "--migrate", "100000:CC7:2");
        CliRunner.Run("run", "--cache", "on", "--stats", second, "--image", ImagePath("pingpong.json"), "--migrate", "100000:CC7:2");

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void A_program_and_the_same_program_as_a_one_program_image_count_the_same()
    {
        (_, JsonElement single, _) = RunWithStats("--cluster", "CC3", RepositoryFiles.UserProgramPath("threads"), "all");
        string image = Path.Combine(_folder, "threads.json");
        File.WriteAllText(image, $$"""{ "programs": [ { "cluster": "CC3", "program": {{JsonSerializer.Serialize(RepositoryFiles.UserProgramPath("threads"))}}, "args": ["all"] } ] }""");
        (_, JsonElement fromImage, _) = RunWithStats("--image", image);

        Assert.Equal(single.GetProperty("clusters").GetRawText(), fromImage.GetProperty("clusters").GetRawText());
        Assert.Equal(single.GetProperty("noc").GetRawText(), fromImage.GetProperty("noc").GetRawText());
        Assert.Equal(single.GetProperty("instructions").GetUInt64(), fromImage.GetProperty("instructions").GetUInt64());
    }

    [Fact]
    public void A_program_that_the_kernel_kills_is_reported_with_its_diagnostic()
    {
        (int status, JsonElement stats, _) = RunWithStats(RepositoryFiles.UserProgramPath("fault"), "null");

        Assert.Equal(139, status);
        JsonElement program = Assert.Single(stats.GetProperty("programs").EnumerateArray());
        Assert.Equal(139, program.GetProperty("status").GetInt32());
        Assert.Contains("load page fault", program.GetProperty("diagnostic").GetString());
    }

    [Fact]
    public void Two_processes_on_one_cluster_each_get_their_share_and_the_shares_add_up_to_the_cluster()
    {
        string image = Path.Combine(_folder, "shared.json");
        string threads = JsonSerializer.Serialize(RepositoryFiles.UserProgramPath("threads"));
        string hello = JsonSerializer.Serialize(RepositoryFiles.UserProgramPath("hello"));
        File.WriteAllText(image, $$"""{ "programs": [ { "cluster": "CC2", "program": {{threads}}, "args": ["mutex"] }, { "cluster": "CC2", "program": {{hello}} } ] }""");

        (int status, JsonElement stats, string error) = RunWithStats("--image", image, "--migrate", "3000:CC9:1");

        Assert.Equal(0, status);
        JsonElement[] programs = [.. stats.GetProperty("programs").EnumerateArray()];
        Assert.Equal(2, programs.Length);
        Assert.All(programs, p => Assert.True(p.GetProperty("instructions").GetUInt64() > 0));
        Assert.NotEqual(programs[0].GetProperty("instructions").GetUInt64(), programs[1].GetProperty("instructions").GetUInt64());
        JsonElement cc2 = stats.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("cluster").GetString() == "CC2");
        ulong shares = programs.SelectMany(p => p.GetProperty("per_cluster").EnumerateArray())
            .Where(s => s.GetProperty("cluster").GetString() == "CC2")
            .Aggregate(0UL, (sum, s) => sum + s.GetProperty("instructions").GetUInt64());
        Assert.Equal(cc2.GetProperty("instructions").GetUInt64(), shares);
        Assert.Equal(["CC2", "CC9"], programs[0].GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        AssertTotalsAddUp(stats);
        AssertVerboseAgrees(stats, error);
    }
}
