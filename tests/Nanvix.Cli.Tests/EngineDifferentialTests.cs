using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary>
/// Every sample program, image and a migration, run with the default (fast) engine and with the reference stepping
/// engine (<c>--engine step</c>), with the cache models off, on, and on with <c>--annotate</c>: the same stdout, the
/// same exit status and the same <c>--stats</c> file byte for byte (instructions, cycles, kernel calls, cache counters,
/// per-core figures, user branches taken and not taken, migrations at the same cycle, and the misses named by kernel
/// field and by user function). stderr is not compared: a migration line prints the host time of the move.
/// </summary>
public sealed class EngineDifferentialTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-engines-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The run's arguments after <c>run</c>, with "@name" for a user program and "#name" for an image.</summary>
    public static TheoryData<string, string[]> Runs => new()
    {
        { "hello", ["@hello"] },
        { "echo", ["@echo", "--", "alpha", "b c", "--flag-like"] },
        { "cpu", ["@cpu", "2"] },
        { "divide", ["@divide"] },
        { "heap", ["@heap"] },
        { "fault null", ["@fault", "null"] },
        { "fault text", ["@fault", "text"] },
        { "fault illegal", ["@fault", "illegal"] },
        { "fault ebreak", ["@fault", "ebreak"] },
        { "fault stack", ["@fault", "stack"] },
        { "fault exit", ["@fault", "exit", "42"] },
        { "fault badcall", ["@fault", "badcall"] },
        { "threads", ["@threads"] },
        { "forkjoin", ["@forkjoin"] },
        { "maxthreads", ["@maxthreads"] },
        { "deadlock", ["@deadlock"] },
        { "pages", ["@pages", "8", "2"] },
        { "wander", ["@wander"] },
        { "seedproc", ["@seedproc"] },
        { "demo", [] },
        { "cpu migrated twice", ["--migrate", "300000:CC1", "--migrate", "900000:CC15", "@cpu", "3"] },
        { "image four-clusters", ["--image", "#four-clusters.json"] },
        { "image names", ["--image", "#names.json"] },
        { "image pingpong", ["--image", "#pingpong.json"] },
        { "image spawn", ["--image", "#spawn.json"] },
        { "image stream", ["--image", "#stream.json"] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Fast_engine_gives_the_stepping_engines_output_status_and_stats_byte_for_byte(string name, string[] run)
    {
        foreach (string cache in (string[])["off", "on", "annotate"])
        {
            (int stepStatus, string stepOutput, string stepStats) = Run(run, "step", cache);
            (int fastStatus, string fastOutput, string fastStats) = Run(run, "fast", cache);

            Assert.True(stepStats.Length > 0, $"{name}, cache {cache}: no statistics written");
            Assert.Contains("\"user_not_taken\"", stepStats); // the branch counts are in what is compared
            Assert.True(cache != "annotate" || stepStats.Contains("\"annotate_user\"", StringComparison.Ordinal), $"{name}: no user misses named");
            Assert.Equal(stepOutput, fastOutput);
            Assert.Equal(stepStatus, fastStatus);
            Assert.Equal(stepStats, fastStats);
        }
    }

    private (int Status, string Output, string Stats) Run(string[] run, string engine, string cache)
    {
        string stats = Path.Combine(_folder, $"{engine}-{cache}.json");
        string[] args =
        [
            "run", "--quiet", "--engine", engine, "--cache", cache == "off" ? "off" : "on", .. cache == "annotate" ? (string[])["--annotate"] : [], "--stats", stats,
            .. run.Select(a => a.StartsWith('@') ? RepositoryFiles.UserProgramPath(a[1..])
                : a.StartsWith('#') ? Path.Combine(RepositoryFiles.Root, "user", "images", a[1..]) : a),
        ];
        (int status, string output, _) = CliRunner.Run(args);
        return (status, output, File.Exists(stats) ? File.ReadAllText(stats) : "");
    }
}
