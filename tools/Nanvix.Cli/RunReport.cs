using System.Text.Json.Serialization;

namespace Nanvix.Cli;

/// <summary>
/// The statistics file of <c>nanvix run --stats</c>, for one program and for an image alike: the configuration, the
/// status, totals over every cluster, each program with the clusters it ran on, each cluster with its cores and
/// caches, the NoC traffic and the migrations. Only simulated quantities, so the same configuration always gives the
/// same bytes. Totals add up: <see cref="Instructions"/> and <see cref="KernelCalls"/> are the sums over
/// <see cref="Clusters"/>, <see cref="Cycles"/> the largest cluster time.
/// </summary>
public sealed record RunReport
{
    public required string Machine { get; init; }

    /// <summary>The cluster the program ended on (or was on when the run stopped); one-program runs only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }

    public required string Layout { get; init; }

    public required string Timing { get; init; }

    public required bool Cache { get; init; }

    /// <summary>With the cache model on, every compute core's I$ as size:ways:line in bytes; left out when it is off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Icache { get; init; }

    /// <summary>As <see cref="Icache"/>, for the D$.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Dcache { get; init; }

    /// <summary>With the cache model on, the cycles a miss costs; left out when it is off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? MissPenalty { get; init; }

    /// <summary>Bytes between User Areas (<c>--uarea-gap</c>); left out when there is none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UareaGap { get; init; }

    /// <summary>The program run (its path, or "demo"); one-program runs only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Program { get; init; }

    /// <summary>Its arguments; one-program runs only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Arguments { get; init; }

    /// <summary>The exit status of <c>nanvix</c>: the program's (an image's first non-zero), or the budget's or the signal's.</summary>
    public required int Status { get; init; }

    /// <summary>Why the run stopped before every program ended: "budget" or "interrupted"; left out when they all ended.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stopped { get; init; }

    public required ulong Instructions { get; init; }

    public required ulong Cycles { get; init; }

    public required ulong KernelCalls { get; init; }

    public required double Microseconds { get; init; }

    public required IReadOnlyList<ProgramReport> Programs { get; init; }

    public required IReadOnlyList<ClusterReport> Clusters { get; init; }

    public required NocReport Noc { get; init; }

    /// <summary>The moves of <c>--migrate</c> (and those processes asked for), in order; left out of the file when there were none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MigrationEntry>? Migrations { get; init; }
}
