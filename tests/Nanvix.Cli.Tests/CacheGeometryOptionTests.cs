using System.Text.Json;

namespace Nanvix.Cli.Tests;

/// <summary><c>--icache</c> and <c>--dcache</c>: the cache model's geometry on the command line, recorded in <c>--stats</c>.</summary>
public sealed class CacheGeometryOptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private JsonElement Stats(params string[] options)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        (int status, _, string error) = CliRunner.Run(["run", "--cache", "on", "--stats", path, .. options]);
        Assert.True(status == 0, error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        return json.RootElement.Clone();
    }

    private static ulong DataMisses(JsonElement stats) =>
        stats.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("cores").EnumerateArray())
            .Aggregate(0UL, (sum, core) => sum + core.GetProperty("dcache").GetProperty("user").GetProperty("misses").GetUInt64()
                + core.GetProperty("dcache").GetProperty("kernel").GetProperty("misses").GetUInt64());

    [Fact]
    public void The_stats_record_the_geometry_the_run_used()
    {
        JsonElement machine = Stats();
        JsonElement small = Stats("--dcache", "2K", "--icache", "16K:4:32");

        Assert.Equal("8192:2:64", machine.GetProperty("icache").GetString());
        Assert.Equal("8192:2:64", machine.GetProperty("dcache").GetString());
        Assert.Equal("16384:4:32", small.GetProperty("icache").GetString());
        Assert.Equal("2048:2:64", small.GetProperty("dcache").GetString());
    }

    [Fact]
    public void A_smaller_data_cache_misses_more_and_the_same_geometry_gives_the_same_run()
    {
        JsonElement machine = Stats();
        JsonElement same = Stats("--dcache", "8192:2:64");
        JsonElement small = Stats("--dcache", "1K");

        Assert.Equal(DataMisses(machine), DataMisses(same));
        Assert.Equal(machine.GetProperty("cycles").GetUInt64(), same.GetProperty("cycles").GetUInt64());
        Assert.True(DataMisses(small) > DataMisses(machine), $"{DataMisses(small)} misses with 1 KB, {DataMisses(machine)} with 8 KB");
        Assert.True(small.GetProperty("cycles").GetUInt64() > machine.GetProperty("cycles").GetUInt64());
    }

    [Fact]
    public void The_miss_penalty_is_recorded_and_a_dearer_miss_makes_the_run_longer()
    {
        JsonElement machine = Stats();
        JsonElement same = Stats("--miss-penalty", "10");
        JsonElement dear = Stats("--miss-penalty", "40");

        Assert.Equal(10u, machine.GetProperty("miss_penalty").GetUInt32());
        Assert.Equal(40u, dear.GetProperty("miss_penalty").GetUInt32());
        Assert.Equal(machine.GetProperty("cycles").GetUInt64(), same.GetProperty("cycles").GetUInt64());
        Assert.True(dear.GetProperty("cycles").GetUInt64() > machine.GetProperty("cycles").GetUInt64());
    }

    [Theory]
    [InlineData(new[] { "--miss-penalty", "5" }, "--miss-penalty: it is the cost of a miss of the cache model; give --cache on too")]
    [InlineData(new[] { "--cache", "on", "--miss-penalty", "200000" }, "--miss-penalty: at most 100000 cycles")]
    public void A_bad_miss_penalty_is_one_clear_error(string[] options, string message)
    {
        (int status, _, string error) = CliRunner.Run(["run", .. options]);

        Assert.Equal(2, status);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_cache_model_the_stats_leave_the_geometry_out()
    {
        string path = Path.Combine(_folder, "off.json");
        Assert.Equal(0, CliRunner.Run("run", "--stats", path).Status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));

        Assert.False(json.RootElement.TryGetProperty("dcache", out _));
        Assert.False(json.RootElement.TryGetProperty("miss_penalty", out _));
    }

    [Theory]
    [InlineData("--dcache", "3K", "must be powers of two")]
    [InlineData("--dcache", "64:2:64", "at least one set")]
    [InlineData("--icache", "2M", "is not SIZE[:WAYS[:LINE]]")]
    [InlineData("--icache", "4K:0", "is not SIZE[:WAYS[:LINE]]")]
    [InlineData("--dcache", "8K:2:64:1", "is not SIZE[:WAYS[:LINE]]")]
    [InlineData("--dcache", "2048K", "at most 64 ways and 1 MB")]
    public void A_bad_geometry_is_one_clear_error(string option, string value, string message)
    {
        (int status, string output, string error) = CliRunner.Run("run", "--cache", "on", option, value);

        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Contains($"{option}: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_geometry_without_the_cache_model_is_an_error()
    {
        (int status, _, string error) = CliRunner.Run("run", "--dcache", "2K");

        Assert.Equal(2, status);
        Assert.Contains("--dcache: it shapes the cache model; give --cache on too", error, StringComparison.Ordinal);
    }
}
