using System.Text.Json;
using System.Text.RegularExpressions;
using Nanvix.Tests.Shared;

namespace Nanvix.Cli.Tests;

/// <summary><c>nanvix run --trace</c>: a Perfetto (or Chrome JSON) timeline of the run in simulated time, read back independently.</summary>
public sealed class TraceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nanvix-trace-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (PerfettoReader Trace, byte[] Bytes, string Error) Demo(params string[] options)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.perfetto");
        (int status, _, string error) = CliRunner.Run(["run", "--trace", path, .. options]);
        Assert.Equal(0, status);
        byte[] bytes = File.ReadAllBytes(path);
        return (PerfettoReader.Read(bytes), bytes, error);
    }

    [Fact]
    public void The_demos_trace_shows_its_move_with_freeze_transfer_and_restore_and_a_flow_from_source_to_target()
    {
        (PerfettoReader trace, _, string error) = Demo();

        ulong cc0 = Track(trace, "CC0 (node 8)");
        ulong cc1 = Track(trace, "CC1 (node 9)");
        var move = trace.Events.Single(e => e.Type == 1 && e.Name == "move pid 1 to CC1");
        Assert.Equal(cc0, trace.Tracks[move.Track].Parent);
        Assert.Equal("moves out", trace.Tracks[move.Track].Name);
        Assert.Equal(1, move.Arguments["pid"]);
        var restore = trace.Events.Single(e => e.Type == 1 && e.Name == "restore pid 1 from CC0");
        Assert.Equal(cc1, trace.Tracks[restore.Track].Parent);
        Assert.Equal(move.Flows, restore.Terminating);
        Assert.Single(move.Flows);

        // Freeze and transfer inside the move, on its track, in that order; restore ends the downtime.
        var inside = trace.Events.Where(e => e.Type == 1 && e.Track == move.Track && e.Name is "freeze" or "transfer").ToList();
        Assert.Equal(["freeze", "transfer"], inside.Select(e => e.Name));
        Assert.Equal(move.Time, inside[0].Time);

        // Simulated time: the move begins at its freeze cycle, 2.5 ns a cycle at 400 MHz.
        ulong freeze = ulong.Parse(Regex.Match(error, @"migration at cycle (\d+)").Groups[1].Value);
        Assert.Equal(freeze * 10 / 4, move.Time);
    }

    [Fact]
    public void Cores_show_the_threads_quanta_and_kernel_calls_and_the_noc_its_transfers_with_flows()
    {
        (PerfettoReader trace, _, _) = Demo();

        Assert.Contains(trace.Events, e => e.Type == 1 && e.Name == "pid 1 tid 0" && trace.Tracks[e.Track].Name.StartsWith("core ", StringComparison.Ordinal));
        Assert.Contains(trace.Events, e => e.Type == 1 && e.Name == "thread_create" && e.Arguments["number"] == 1000);
        Assert.Contains(trace.Events, e => e.Type == 1 && e.Name == "thread_join");

        // The move's regions are portal transfers from node 8 to node 9: each leaves one lane and ends in another.
        var outs = trace.Events.Where(e => e.Type == 1 && e.Name!.StartsWith("portal ", StringComparison.Ordinal) && e.Flows.Count == 1).ToList();
        Assert.NotEmpty(outs);
        foreach (var sent in outs)
        {
            var received = trace.Events.Single(e => e.Type == 1 && e.Terminating.SequenceEqual(sent.Flows));
            Assert.StartsWith("NoC out", trace.Tracks[sent.Track].Name, StringComparison.Ordinal);
            Assert.StartsWith("NoC in", trace.Tracks[received.Track].Name, StringComparison.Ordinal);
            Assert.Equal(sent.Arguments["bytes"], received.Arguments["bytes"]);
            Assert.Equal(8, sent.Arguments["from node"]);
            Assert.Equal(9, sent.Arguments["to node"]);
        }

        Assert.Contains(trace.Tracks.Values, t => t.Counter && t.Name == "core 1 cycles per quantum");
        Assert.Contains(trace.Events, e => e.Type == 4 && trace.Tracks[e.Track].Name == "core 1 cycles per quantum" && e.Counter > 0);
    }

    [Fact]
    public void A_pre_copy_moves_rounds_come_before_its_freeze_and_a_post_copy_moves_pulls_after_its_restore()
    {
        string program = RepositoryFiles.UserProgramPath("seedproc");
        (PerfettoReader trace, _, _) = Demo("--migrate", "300000:CC3:precopy", "--migrate", "2000000:CC5:postcopy", program, "2");

        var precopy = trace.Events.Single(e => e.Type == 1 && e.Name == "pre-copy pid 1 to CC3");
        var move = trace.Events.Single(e => e.Type == 1 && e.Name == "move pid 1 to CC3");
        Assert.True(precopy.Time < move.Time);
        var rounds = trace.Events.Where(e => e.Type == 1 && e.Track == precopy.Track && e.Name!.StartsWith("round ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rounds);
        Assert.Equal(precopy.Time, rounds[0].Time);
        Assert.True(rounds.All(r => r.Time < move.Time));
        var pulls = trace.Events.Single(e => e.Type == 1 && e.Name == "post-copy pulls pid 1 from CC3");
        var restore = trace.Events.Single(e => e.Type == 1 && e.Name == "restore pid 1 from CC3");
        Assert.True(pulls.Time >= restore.Time);
        Assert.True(pulls.Arguments["pages"] > 0);
    }

    [Fact]
    public void Slices_nest_on_every_track_and_time_never_goes_back()
    {
        (PerfettoReader trace, _, _) = Demo("--cache", "on");

        Assert.Equal(1, trace.SequenceFlagsOfFirstPacket);
        var open = new Dictionary<ulong, int>();
        ulong last = 0;
        foreach (var e in trace.Events)
        {
            Assert.True(e.Time >= last, $"event at {e.Time} after {last}");
            last = e.Time;
            Assert.True(trace.Tracks.ContainsKey(e.Track), $"event on undescribed track {e.Track}");
            int depth = open.GetValueOrDefault(e.Track);
            open[e.Track] = e.Type switch { 1 => depth + 1, 2 => depth - 1, _ => depth };
            Assert.True(open[e.Track] >= 0, $"an end without a begin on {trace.Tracks[e.Track].Name} at {e.Time}");
        }

        Assert.All(open, pair => Assert.Equal(0, pair.Value));
        Assert.Contains(trace.Tracks.Values, t => t.Counter && t.Name.EndsWith("cache misses per quantum", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_run_gives_the_same_trace_byte_for_byte()
    {
        Assert.Equal(Demo().Bytes, Demo().Bytes);
    }

    [Fact]
    public void A_trace_changes_nothing_in_the_run()
    {
        string plain = Path.Combine(_folder, "plain.json");
        string traced = Path.Combine(_folder, "traced.json");
        (int status, string output, string error) = CliRunner.Run("run", "--cache", "on", "--stats", plain);
        (int tracedStatus, string tracedOutput, string tracedError) = CliRunner.Run("run", "--cache", "on", "--stats", traced, "--trace", Path.Combine(_folder, "t.perfetto"));

        Assert.Equal((status, output), (tracedStatus, tracedOutput));
        Assert.Equal(Regex.Replace(error, @"host [0-9.]+ ms.*", ""), Regex.Replace(tracedError, @"host [0-9.]+ ms.*", ""));
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(traced));
    }

    [Fact]
    public void A_json_path_gives_the_chrome_format_with_the_same_slices()
    {
        (PerfettoReader trace, _, _) = Demo();
        string path = Path.Combine(_folder, "demo.json");
        Assert.Equal(0, CliRunner.Run("run", "--trace", path).Status);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement[] events = [.. json.RootElement.GetProperty("traceEvents").EnumerateArray()];
        string[] slices = [.. events.Where(e => e.GetProperty("ph").GetString() == "X").Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(trace.Events.Where(e => e.Type == 1).Select(e => e.Name!).Order(StringComparer.Ordinal), slices);
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "s");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "f");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "C");
    }

    [Fact]
    public void The_filter_keeps_the_kinds_asked_for()
    {
        (PerfettoReader trace, _, _) = Demo("--trace-filter", "migrations");

        Assert.All(trace.Events, e => Assert.True(trace.Tracks[e.Track].Name is "moves out" or "moves in", trace.Tracks[e.Track].Name));
        Assert.Contains(trace.Events, e => e.Name == "move pid 1 to CC1");
        Assert.DoesNotContain(trace.Tracks.Values, t => t.Name.StartsWith("core ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--trace-filter", "quanta,bogus", "--trace-filter: 'bogus' is not a kind of event")]
    [InlineData("--trace-filter", "noc", "--trace-filter: it says what --trace writes")]
    public void A_bad_filter_is_one_clear_error(string option, string value, string message)
    {
        string[] args = message.Contains("it says", StringComparison.Ordinal) ? ["run", option, value] : ["run", "--trace", Path.Combine(_folder, "x.perfetto"), option, value];
        (int status, _, string error) = CliRunner.Run(args);

        Assert.Equal(2, status);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trace_path_that_cannot_be_written_costs_no_run()
    {
        (int status, string output, string error) = CliRunner.Run("run", "--trace", _folder);

        Assert.Equal(2, status);
        Assert.Contains("the trace file", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    private static ulong Track(PerfettoReader trace, string name) => trace.Tracks.Single(t => t.Value.Name == name).Key;
}
