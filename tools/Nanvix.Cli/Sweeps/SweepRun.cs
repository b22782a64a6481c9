namespace Nanvix.Cli.Sweeps;

/// <summary>
/// One run of an expanded sweep: its place in the table, its id (a hash of its configuration and its programs'
/// bytes, so that a result can be found again), the axis values that make it, and what it starts.
/// </summary>
/// <param name="Index">Its row in the table, from 0, in the order of the expansion.</param>
/// <param name="Id">16 hex digits of the SHA-256 of the canonical configuration and the programs.</param>
/// <param name="Values">One value per axis, in the order of the axes.</param>
public sealed record SweepRun(int Index, string Id, IReadOnlyList<SweepValue> Values, SweepOptions Options, Workload Workload, RunSettings Settings)
{
    /// <summary>The run in messages: "run 3 (layout=scattered, args=17 10)".</summary>
    public string Name => Describe(Index, Values);

    /// <summary>A run in messages, from its index and its axis values.</summary>
    public static string Describe(int index, IReadOnlyList<SweepValue> values) => values.Count == 0
        ? $"run {index}"
        : $"run {index} ({string.Join(", ", values.Select(v => $"{v.Option}={v.Text}"))})";
}
