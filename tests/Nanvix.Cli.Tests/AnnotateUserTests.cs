using System.Buffers.Binary;
using System.Text.Json;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// <c>nanvix run --cache on --annotate</c> names every user I$ and D$ miss by the program and function (ELF symbol) whose
/// instruction made it: <c>annotate_user</c> of each cluster in <c>--stats</c>, and lines on stderr.
/// </summary>
public sealed class AnnotateUserTests : IDisposable
{
    private static readonly string[] Kinds = ["misses", "compulsory", "capacity", "conflict"];

    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-annotate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void Every_user_miss_is_named_by_program_and_function_and_the_totals_equal_the_user_counters(string layout)
    {
        string plain = Path.Combine(_folder, "plain.json");
        string annotated = Path.Combine(_folder, "annotated.json");
        string image = Path.Combine(_folder, "two.json");
        string cpu = Slashed(RepositoryFiles.UserProgramPath("cpu"));
        string forkjoin = Slashed(RepositoryFiles.UserProgramPath("forkjoin"));
        File.WriteAllText(image, $$"""
            { "programs": [
              { "cluster": "CC0", "program": "{{cpu}}", "args": ["1"] },
              { "cluster": "CC0", "program": "{{forkjoin}}", "args": ["4", "3"] } ] }
            """);

        (int plainStatus, string plainOutput, _) = CliRunner.Run("run", "--cache", "on", "--dcache", "2K", "--layout", layout, "--stats", plain, "--image", image);
        (int status, string output, string error) = CliRunner.Run("run", "--cache", "on", "--dcache", "2K", "--layout", layout, "--annotate", "--stats", annotated, "--image", image);

        Assert.Equal(0, status);
        Assert.Contains("nanvix: annotate CC0: ", error);
        Assert.Contains("user I$ and ", error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(annotated));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        JsonElement[] rows = [.. cluster.GetProperty("annotate_user").EnumerateArray()];
        AssertTotalsAreTheUserCounters(cluster);

        // Both programs, by their functions; the capacity and conflict misses of a 2 KB D$ are named too.
        Assert.Contains(rows, r => r.GetProperty("program").GetString() == cpu && r.GetProperty("function").GetString() == "quicksort");
        Assert.Contains(rows, r => r.GetProperty("program").GetString() == forkjoin && r.GetProperty("function").GetString() == "main");
        Assert.Contains(rows, r => r.GetProperty("dcache").GetProperty("capacity").GetUInt64() + r.GetProperty("dcache").GetProperty("conflict").GetUInt64() > 0);
        Assert.DoesNotContain(rows, r => r.GetProperty("function").GetString() == "(unknown)");
        Assert.Equal(rows.OrderByDescending(Misses).Select(Misses), rows.Select(Misses));

        // Naming the misses changes nothing of the run, and without --annotate there is nothing named.
        using JsonDocument before = JsonDocument.Parse(File.ReadAllText(plain));
        JsonElement plainCluster = Assert.Single(before.RootElement.GetProperty("clusters").EnumerateArray());
        Assert.Equal((plainStatus, plainOutput), (status, output));
        Assert.Equal(plainCluster.GetProperty("cores").GetRawText(), cluster.GetProperty("cores").GetRawText());
        Assert.False(plainCluster.TryGetProperty("annotate_user", out _));
    }

    [Fact]
    public void A_moved_process_is_named_by_its_program_on_every_cluster_it_ran_on()
    {
        string stats = Path.Combine(_folder, "moved.json");
        string cpu = RepositoryFiles.UserProgramPath("cpu");

        (int status, _, string error) = CliRunner.Run("run", "--quiet", "--cache", "on", "--annotate", "--stats", stats, "--migrate", "300000:CC1", "--migrate", "900000:CC15", cpu, "3");

        Assert.Equal(0, status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement[] clusters = [.. json.RootElement.GetProperty("clusters").EnumerateArray()];
        Assert.Equal(["CC0", "CC1", "CC15"], clusters.Select(c => c.GetProperty("cluster").GetString()));
        foreach (JsonElement cluster in clusters)
        {
            AssertTotalsAreTheUserCounters(cluster);
            JsonElement[] rows = [.. cluster.GetProperty("annotate_user").EnumerateArray()];
            Assert.All(rows, r => Assert.Equal(cpu, r.GetProperty("program").GetString()));
            Assert.Contains(rows, r => r.GetProperty("function").GetString() == "quicksort");
            Assert.Contains($"nanvix: annotate {cluster.GetProperty("cluster").GetString()}: ", error);
        }
    }

    [Fact]
    public void The_misses_of_a_program_without_symbols_are_one_unknown_function()
    {
        byte[] cpu = RepositoryFiles.UserProgram("cpu");
        BinaryPrimitives.WriteUInt16LittleEndian(cpu.AsSpan(48), 0); // e_shnum: no section headers, as a stripped file can be
        string stripped = Path.Combine(_folder, "stripped.elf");
        File.WriteAllBytes(stripped, cpu);
        string stats = Path.Combine(_folder, "stripped.json");

        (int status, _, string error) = CliRunner.Run("run", "--cache", "on", "--annotate", "--stats", stats, stripped, "1");

        Assert.Equal(0, status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        JsonElement row = Assert.Single(cluster.GetProperty("annotate_user").EnumerateArray());
        Assert.Equal((stripped, "(unknown)"), (row.GetProperty("program").GetString(), row.GetProperty("function").GetString()));
        AssertTotalsAreTheUserCounters(cluster);
        Assert.Contains($"{stripped}: (unknown)", error);
    }

    [Fact]
    public void Programs_the_spawn_service_started_are_named_as_registered()
    {
        string stats = Path.Combine(_folder, "spawn.json");

        (int status, _, _) = CliRunner.Run("run", "--quiet", "--cache", "on", "--annotate", "--stats", stats, "--image", Path.Combine(RepositoryFiles.Root, "user", "images", "spawn.json"));

        Assert.Equal(0, status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        var programs = new Dictionary<string, string[]>();
        foreach (JsonElement cluster in json.RootElement.GetProperty("clusters").EnumerateArray())
        {
            AssertTotalsAreTheUserCounters(cluster);
            programs[cluster.GetProperty("cluster").GetString()!] = [.. cluster.GetProperty("annotate_user").EnumerateArray().Select(r => r.GetProperty("program").GetString()!).Distinct()];
        }

        Assert.Equal(["hello"], programs["CC5"]);
        Assert.Equal(["threads"], programs["CC9"]);
    }

    /// <summary>The rows of a cluster add up, cache by cache and C by C, to the user counts of its cores.</summary>
    private static void AssertTotalsAreTheUserCounters(JsonElement cluster)
    {
        JsonElement[] rows = [.. cluster.GetProperty("annotate_user").EnumerateArray()];
        JsonElement[] cores = [.. cluster.GetProperty("cores").EnumerateArray()];
        foreach (string cache in (string[])["icache", "dcache"])
        {
            foreach (string kind in Kinds)
            {
                ulong named = rows.Aggregate(0UL, (sum, r) => sum + r.GetProperty(cache).GetProperty(kind).GetUInt64());
                ulong counted = cores.Aggregate(0UL, (sum, c) => sum + c.GetProperty(cache).GetProperty("user").GetProperty(kind).GetUInt64());
                Assert.True(named == counted, $"{cluster.GetProperty("cluster").GetString()} {cache} {kind}: {named} named, {counted} counted");
            }
        }

        Assert.True(rows.Length > 0 && cores.Sum(c => (decimal)c.GetProperty("icache").GetProperty("user").GetProperty("misses").GetUInt64()) > 0);
    }

    private static ulong Misses(JsonElement row) =>
        row.GetProperty("icache").GetProperty("misses").GetUInt64() + row.GetProperty("dcache").GetProperty("misses").GetUInt64();

    private static string Slashed(string path) => path.Replace("\\", "/", StringComparison.Ordinal);
}
