using System.Text.Json;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary><c>nanvix run --stats PATH.json</c>: what the statistics file holds, and that it is reproducible.</summary>
public sealed class StatsFileTests : IDisposable
{
    private static readonly string[] TopLevelKeys =
    [
        "machine", "cluster", "layout", "timing", "cache", "program", "arguments", "status",
        "instructions", "cycles", "kernel_calls", "microseconds", "programs", "clusters", "noc",
    ];

    private static readonly string[] CounterKeys = ["accesses", "hits", "misses", "compulsory", "capacity", "conflict", "writebacks", "writes_around"];

    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-stats-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Stats_file_holds_the_configuration_and_the_counts_with_snake_case_keys()
    {
        string path = Path.Combine(_folder, "hello.json");
        string hello = RepositoryFiles.UserProgramPath("hello");

        (int status, _, _) = CliRunner.Run("run", "--stats", path, "--cluster", "CC3", hello);

        Assert.Equal(0, status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        Assert.Equal(TopLevelKeys, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mppa256", root.GetProperty("machine").GetString());
        Assert.Equal("CC3", root.GetProperty("cluster").GetString());
        Assert.Equal("uarea", root.GetProperty("layout").GetString());
        Assert.Equal("hardware", root.GetProperty("timing").GetString());
        Assert.False(root.GetProperty("cache").GetBoolean());
        Assert.Equal(hello, root.GetProperty("program").GetString());
        Assert.Equal(0, root.GetProperty("arguments").GetArrayLength());
        Assert.Equal(0, root.GetProperty("status").GetInt32());
        Assert.Equal(2UL, root.GetProperty("kernel_calls").GetUInt64());
        ulong cycles = root.GetProperty("cycles").GetUInt64();
        Assert.Equal(cycles / 400.0, root.GetProperty("microseconds").GetDouble(), 6);

        JsonElement cluster = Assert.Single(root.GetProperty("clusters").EnumerateArray());
        Assert.Equal(["cluster", "instructions", "cycles", "kernel_calls", "microseconds", "cores", "kernel_text"], cluster.EnumerateObject().Select(p => p.Name));
        Assert.Equal("CC3", cluster.GetProperty("cluster").GetString());
        JsonElement program = Assert.Single(root.GetProperty("programs").EnumerateArray());
        Assert.Equal(["pid", "program", "arguments", "status", "clusters", "instructions", "kernel_calls", "per_cluster"], program.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["CC3"], program.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["transfers", "bytes", "wire_bytes"], root.GetProperty("noc").EnumerateObject().Select(p => p.Name));
        JsonElement[] cores = [.. cluster.GetProperty("cores").EnumerateArray()];
        Assert.NotEmpty(cores);
        Assert.All(cores, core =>
        {
            Assert.Equal(["core", "instructions", "cycles", "branches"], core.EnumerateObject().Select(p => p.Name));
            Assert.Equal(["user_taken", "user_not_taken", "kernel"], core.GetProperty("branches").EnumerateObject().Select(p => p.Name));
            Assert.True(core.GetProperty("instructions").GetUInt64() + core.GetProperty("cycles").GetUInt64() > 0);
        });
        Assert.Equal(root.GetProperty("instructions").GetUInt64(), (ulong)cores.Sum(c => (decimal)c.GetProperty("instructions").GetUInt64()));
    }

    [Fact]
    public void With_the_cache_model_every_core_reports_user_and_kernel_counts_of_both_caches()
    {
        string path = Path.Combine(_folder, "threads.json");

        CliRunner.Run("run", "--cache", "on", "--stats", path, RepositoryFiles.UserProgramPath("threads"), "all");

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("cache").GetBoolean());
        Assert.Equal(["all"], root.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
        JsonElement[] cores = [.. Assert.Single(root.GetProperty("clusters").EnumerateArray()).GetProperty("cores").EnumerateArray()];
        Assert.True(cores.Length > 2, "threads all runs on several cores");
        foreach (JsonElement core in cores)
        {
            foreach (string cache in (string[])["icache", "dcache"])
            {
                foreach (string source in (string[])["user", "kernel"])
                {
                    JsonElement counters = core.GetProperty(cache).GetProperty(source);
                    Assert.Equal(CounterKeys, counters.EnumerateObject().Select(p => p.Name));
                    ulong misses = counters.GetProperty("misses").GetUInt64();
                    Assert.Equal(counters.GetProperty("accesses").GetUInt64(), counters.GetProperty("hits").GetUInt64() + misses + counters.GetProperty("writes_around").GetUInt64());
                    Assert.Equal(misses, counters.GetProperty("compulsory").GetUInt64() + counters.GetProperty("capacity").GetUInt64() + counters.GetProperty("conflict").GetUInt64());
                }
            }
        }

        Assert.Contains(cores, c => c.GetProperty("icache").GetProperty("user").GetProperty("misses").GetUInt64() > 0);
    }

    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void Every_kernel_D_cache_access_of_a_fork_join_is_counted_under_a_named_kernel_structure(string layout)
    {
        string path = Path.Combine(_folder, "forkjoin.json");

        CliRunner.Run("run", "--cache", "on", "--layout", layout, "--stats", path, RepositoryFiles.UserProgramPath("forkjoin"), "4", "3");

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        JsonElement[] rows = [.. cluster.GetProperty("kernel_data").EnumerateArray()];
        string[] names = [.. rows.Select(r => r.GetProperty("structure").GetString()!)];
        string[] known =
        [
            "thread_table", "join_table", "return_table", "stack_table", "run_queue", "thread_control", "page_table_root",
            "sysboard", "mutex_table", "semaphore_table", "condition_table", "context", "process_table", "ikc_table",
            "page_tables", "page_bitmaps", "page_zeroing", "user_copies",
        ];
        Assert.All(names, n => Assert.Contains(n, known));
        Assert.Equal(names.Length, names.Distinct().Count());

        // What a fork-join's kernel calls must touch: threads' entries, joins, saved registers, the run queues, the
        // sysboard, the process table, and the pages a new thread gets (bitmaps, page tables, zeroed pages).
        foreach (string used in (string[])["thread_table", "join_table", "context", "run_queue", "sysboard", "process_table", "page_bitmaps", "page_zeroing"])
        {
            Assert.Contains(used, names);
        }

        JsonElement[] cores = [.. cluster.GetProperty("cores").EnumerateArray()];
        foreach (string counter in CounterKeys)
        {
            ulong byStructure = rows.Aggregate(0UL, (sum, r) => sum + r.GetProperty("counts").GetProperty(counter).GetUInt64());
            ulong byCore = cores.Aggregate(0UL, (sum, c) => sum + c.GetProperty("dcache").GetProperty("kernel").GetProperty(counter).GetUInt64());
            Assert.True(byStructure == byCore, $"{counter}: {byStructure} by structure, {byCore} by core");
        }

        Assert.True(rows.Sum(r => (decimal)r.GetProperty("counts").GetProperty("misses").GetUInt64()) > 0);

        // The kernel's code: the paths a fork-join runs, and their I$ counts add up to the cores' kernel I$ counts.
        JsonElement[] text = [.. cluster.GetProperty("kernel_text").EnumerateArray()];
        string[] paths = [.. text.Select(t => t.GetProperty("path").GetString()!)];
        foreach (string used in (string[])["call_trap", "call_decode", "thread_create", "thread_join", "thread_exit", "kernel_page_alloc", "page_zero"])
        {
            Assert.Contains(used, paths);
        }

        foreach (string counter in CounterKeys)
        {
            ulong byPath = text.Aggregate(0UL, (sum, t) => sum + t.GetProperty("icache").GetProperty(counter).GetUInt64());
            ulong byCore = cores.Aggregate(0UL, (sum, c) => sum + c.GetProperty("icache").GetProperty("kernel").GetProperty(counter).GetUInt64());
            Assert.True(byPath == byCore, $"I$ {counter}: {byPath} by path, {byCore} by core");
        }

        Assert.All(text, t => Assert.True(t.GetProperty("instructions").GetUInt64() >= t.GetProperty("executions").GetUInt64()));
        Assert.True(text.Sum(t => (decimal)t.GetProperty("branches").GetUInt64()) > 0);

        // Each core counts the branches of the paths it ran; paths run with no core serving count on none.
        decimal onCores = cores.Sum(c => (decimal)c.GetProperty("branches").GetProperty("kernel").GetUInt64());
        Assert.True(onCores > 0 && onCores <= text.Sum(t => (decimal)t.GetProperty("branches").GetUInt64()));
    }

    [Theory]
    [InlineData("uarea")]
    [InlineData("scattered")]
    public void Annotate_names_every_kernel_D_cache_miss_by_field_and_its_totals_equal_the_counters(string layout)
    {
        string plain = Path.Combine(_folder, "plain.json");
        string annotated = Path.Combine(_folder, "annotated.json");
        string image = Path.Combine(_folder, "four.json");
        string forkjoin = RepositoryFiles.UserProgramPath("forkjoin").Replace("\\", "/", StringComparison.Ordinal);
        File.WriteAllText(image, $$"""
            { "programs": [
              { "cluster": "CC0", "program": "{{forkjoin}}", "args": ["4", "3"] },
              { "cluster": "CC0", "program": "{{forkjoin}}", "args": ["4", "3"] } ] }
            """);

        CliRunner.Run("run", "--cache", "on", "--layout", layout, "--stats", plain, "--image", image);
        (int status, _, string error) = CliRunner.Run("run", "--cache", "on", "--layout", layout, "--annotate", "--stats", annotated, "--image", image);

        Assert.Equal(0, status);
        Assert.Contains("nanvix: annotate CC0: ", error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(annotated));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        JsonElement[] rows = [.. cluster.GetProperty("annotate").EnumerateArray()];
        Assert.NotEmpty(rows);
        foreach (JsonElement structure in cluster.GetProperty("kernel_data").EnumerateArray())
        {
            string name = structure.GetProperty("structure").GetString()!;
            JsonElement counts = structure.GetProperty("counts");
            JsonElement[] mine = [.. rows.Where(r => r.GetProperty("structure").GetString() == name)];
            foreach (string kind in (string[])["misses", "compulsory", "capacity", "conflict"])
            {
                ulong named = mine.Aggregate(0UL, (sum, r) => sum + r.GetProperty(kind).GetUInt64());
                Assert.True(named == counts.GetProperty(kind).GetUInt64(), $"{name} {kind}: {named} named, {counts.GetProperty(kind).GetUInt64()} counted");
            }
        }

        // Per-process tables are named down to the entry's field, under either layout.
        Assert.Contains(rows, r => r.GetProperty("structure").GetString() == "thread_table" && r.GetProperty("field").GetString()!.Contains("].", StringComparison.Ordinal));

        // Naming the misses changes nothing else in the run.
        using JsonDocument before = JsonDocument.Parse(File.ReadAllText(plain));
        Assert.Equal(before.RootElement.GetProperty("cycles").GetUInt64(), json.RootElement.GetProperty("cycles").GetUInt64());
        Assert.Equal(
            Assert.Single(before.RootElement.GetProperty("clusters").EnumerateArray()).GetProperty("kernel_data").GetRawText(),
            cluster.GetProperty("kernel_data").GetRawText());
    }

    [Fact]
    public void Annotate_without_the_cache_model_is_refused()
    {
        (int status, _, string error) = CliRunner.Run("run", "--annotate", RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Contains("--annotate", error);
        Assert.Contains("--cache on", error);
    }

    [Fact]
    public void Every_core_counts_its_user_branches_taken_and_not_taken_the_same_on_every_run_with_the_cache_model_off_or_on()
    {
        string cpu = RepositoryFiles.UserProgramPath("cpu");
        string first = Path.Combine(_folder, "cpu-first.json");
        string second = Path.Combine(_folder, "cpu-second.json");
        string cached = Path.Combine(_folder, "cpu-cached.json");

        (int status, _, string verbose) = CliRunner.Run("run", "-v", "--stats", first, cpu, "3");
        CliRunner.Run("run", "--stats", second, cpu, "3");
        (_, _, string cachedVerbose) = CliRunner.Run("run", "-v", "--cache", "on", "--stats", cached, cpu, "3");

        Assert.Equal(0, status);
        (ulong Taken, ulong NotTaken, ulong Instructions)[] off = Branches(first);
        Assert.Equal(off, Branches(second));
        Assert.Equal(off, Branches(cached));

        // The core that ran cpu took its loops' branches and fell through some; no core counts more branches than it retired.
        Assert.Contains(off, c => c.Taken > 0 && c.NotTaken > 0);
        Assert.All(off, c => Assert.True(c.Taken + c.NotTaken <= c.Instructions, $"{c.Taken} + {c.NotTaken} branches of {c.Instructions} instructions"));

        // -v prints each core's counts, with the cache model off as well as on.
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(first));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        JsonElement[] cores = [.. cluster.GetProperty("cores").EnumerateArray()];
        for (int i = 0; i < cores.Length; i++)
        {
            string line = $"nanvix: {cluster.GetProperty("cluster").GetString()} core {cores[i].GetProperty("core").GetInt32()}: branches: user {off[i].Taken} taken, {off[i].NotTaken} not taken; kernel {cores[i].GetProperty("branches").GetProperty("kernel").GetUInt64()}";
            Assert.Contains(line, verbose.Split('\n').Select(l => l.TrimEnd('\r')));
            Assert.Contains(line, cachedVerbose.Split('\n').Select(l => l.TrimEnd('\r')));
        }
    }

    [Fact]
    public void A_program_moved_twice_counts_on_the_cores_it_ran_on_the_branches_it_takes_unmoved()
    {
        string cpu = RepositoryFiles.UserProgramPath("cpu");
        string still = Path.Combine(_folder, "cpu-still.json");
        string moved = Path.Combine(_folder, "cpu-moved.json");

        CliRunner.Run("run", "--quiet", "--stats", still, cpu, "3");
        CliRunner.Run("run", "--quiet", "--migrate", "300000:CC1", "--migrate", "900000:CC15", "--stats", moved, cpu, "3");

        // Per core, like the instructions: each cluster's cores keep what they ran, and the sums are the unmoved run's.
        (ulong Taken, ulong NotTaken, ulong Instructions)[] unmoved = Branches(still);
        (ulong Taken, ulong NotTaken, ulong Instructions)[] parts = Branches(moved);
        Assert.True(parts.Count(c => c.Taken > 0) >= 3, "the program ran on three clusters");
        Assert.Equal(unmoved.Aggregate(0UL, (sum, c) => sum + c.Taken), parts.Aggregate(0UL, (sum, c) => sum + c.Taken));
        Assert.Equal(unmoved.Aggregate(0UL, (sum, c) => sum + c.NotTaken), parts.Aggregate(0UL, (sum, c) => sum + c.NotTaken));
    }

    /// <summary>Each core's user branches taken and not taken, and its instructions, from a statistics file.</summary>
    private static (ulong Taken, ulong NotTaken, ulong Instructions)[] Branches(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        return
        [
            .. json.RootElement.GetProperty("clusters").EnumerateArray()
                .SelectMany(c => c.GetProperty("cores").EnumerateArray())
                .Select(c => (
                    c.GetProperty("branches").GetProperty("user_taken").GetUInt64(),
                    c.GetProperty("branches").GetProperty("user_not_taken").GetUInt64(),
                    c.GetProperty("instructions").GetUInt64())),
        ];
    }

    [Fact]
    public void Without_the_cache_model_the_stats_have_no_kernel_data_counts()
    {
        string path = Path.Combine(_folder, "forkjoin-off.json");

        CliRunner.Run("run", "--stats", path, RepositoryFiles.UserProgramPath("forkjoin"), "2", "1");

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement cluster = Assert.Single(json.RootElement.GetProperty("clusters").EnumerateArray());
        Assert.False(cluster.TryGetProperty("kernel_data", out _));

        // The kernel's paths are counted whatever the cache model (instructions, branches), but fetch nothing.
        JsonElement[] text = [.. cluster.GetProperty("kernel_text").EnumerateArray()];
        Assert.Contains(text, t => t.GetProperty("path").GetString() == "thread_create" && t.GetProperty("executions").GetUInt64() == 2);
        Assert.All(text, t => Assert.False(t.TryGetProperty("icache", out _)));
    }

    [Theory]
    [InlineData("uarea", "off")]
    [InlineData("uarea", "on")]
    [InlineData("scattered", "off")]
    [InlineData("scattered", "on")]
    public void Two_runs_of_the_same_configuration_write_identical_stats_files(string layout, string cache)
    {
        string first = Path.Combine(_folder, "first.json");
        string second = Path.Combine(_folder, "second.json");
        string threads = RepositoryFiles.UserProgramPath("threads");

        CliRunner.Run("run", "--layout", layout, "--cache", cache, "--stats", first, threads, "all");
        CliRunner.Run("run", "--layout", layout, "--cache", cache, "--stats", second, threads, "all");

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(first));
        Assert.Equal(layout, json.RootElement.GetProperty("layout").GetString());
    }

    [Fact]
    public void The_layouts_run_the_same_instructions_at_different_cycle_costs_with_the_cache_model()
    {
        string uarea = Path.Combine(_folder, "uarea.json");
        string scattered = Path.Combine(_folder, "scattered.json");
        string threads = RepositoryFiles.UserProgramPath("threads");

        CliRunner.Run("run", "--cache", "on", "--stats", uarea, threads, "all");
        CliRunner.Run("run", "--cache", "on", "--layout", "scattered", "--stats", scattered, threads, "all");

        using JsonDocument u = JsonDocument.Parse(File.ReadAllBytes(uarea));
        using JsonDocument s = JsonDocument.Parse(File.ReadAllBytes(scattered));
        Assert.Equal(u.RootElement.GetProperty("instructions").GetUInt64(), s.RootElement.GetProperty("instructions").GetUInt64());
        Assert.Equal(u.RootElement.GetProperty("kernel_calls").GetUInt64(), s.RootElement.GetProperty("kernel_calls").GetUInt64());
    }

    [Fact]
    public void The_demo_writes_stats_under_its_own_name()
    {
        string path = Path.Combine(_folder, "demo.json");

        (int status, _, _) = CliRunner.Run("run", "--stats", path);

        Assert.Equal(0, status);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("demo", json.RootElement.GetProperty("program").GetString());
    }

    [Fact]
    public void A_stats_path_that_cannot_be_written_is_one_clear_error_before_the_program_runs()
    {
        string path = Path.Combine(_folder, "no", "such", "folder", "stats.json");

        (int status, string output, string error) = CliRunner.Run("run", "--stats", path, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.Equal("", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"nanvix: cannot write the statistics file '{path}'", line);
    }

    [Fact]
    public void A_stats_path_that_is_a_folder_is_one_clear_error()
    {
        (int status, _, string error) = CliRunner.Run("run", "--stats", _folder, RepositoryFiles.UserProgramPath("hello"));

        Assert.Equal(2, status);
        Assert.StartsWith("nanvix: cannot write the statistics file", error);
    }
}
