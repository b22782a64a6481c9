using System.Text.Json;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// The options of one run of a sweep, as <c>nanvix run</c> would take them: the base of the sweep file with one value
/// of each axis applied. Choices are kept in their canonical spelling (lower case; clusters and moves as the machine
/// names them once checked), so that one configuration always has one canonical form and one run id.
/// </summary>
public sealed record SweepOptions
{
    public string Machine { get; init; } = Nanvix.Hal.Machine.Mppa256.MachineName;

    public string Cluster { get; init; } = "CC0";

    public string Layout { get; init; } = "uarea";

    public string Timing { get; init; } = "hardware";

    public bool Cache { get; init; }

    public string Engine { get; init; } = "fast";

    /// <summary>The I$ geometry (<c>--icache</c>), as size:ways:line in bytes once checked; null for the machine's.</summary>
    public string? Icache { get; init; }

    /// <summary>The D$ geometry (<c>--dcache</c>), as <see cref="Icache"/>.</summary>
    public string? Dcache { get; init; }

    /// <summary>The cycles a cache miss costs (<c>--miss-penalty</c>); null for the machine's.</summary>
    public ulong? MissPenalty { get; init; }

    /// <summary>The program, as the sweep file writes it (relative to the sweep file's folder); null with an image.</summary>
    public string? Program { get; init; }

    /// <summary>The program's argv[0] (<c>--argv0</c>); null for the default, the program's path as the sweep file writes it.</summary>
    public string? Argv0 { get; init; }

    /// <summary>The image file, as the sweep file writes it; null with a program.</summary>
    public string? Image { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The moves, each CYCLE:CLUSTER[:PID] as <c>--migrate</c> takes it.</summary>
    public IReadOnlyList<string> Migrate { get; init; } = [];

    public ulong? MaxCycles { get; init; }

    public ulong? MaxInstructions { get; init; }

    /// <summary>
    /// The canonical configuration: every option, in this fixed order, as compact JSON. It is what the run id hashes
    /// (with the programs' bytes) and what a result file records.
    /// </summary>
    public void WriteCanonical(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("machine", Machine);
        writer.WriteString("cluster", Cluster);
        writer.WriteString("layout", Layout);
        writer.WriteString("timing", Timing);
        writer.WriteBoolean("cache", Cache);
        writer.WriteString("engine", Engine);

        // Written only when given, so that the ids of sweeps that never name a geometry stay what they were.
        if (Icache is not null)
        {
            writer.WriteString("icache", Icache);
        }

        if (Dcache is not null)
        {
            writer.WriteString("dcache", Dcache);
        }

        if (MissPenalty is { } penalty)
        {
            writer.WriteNumber("miss_penalty", penalty);
        }

        WriteStringOrNull(writer, "program", Program);

        // As the geometries: only when given, so that the ids of sweeps without it stay what they were.
        if (Argv0 is not null)
        {
            writer.WriteString("argv0", Argv0);
        }

        WriteStringOrNull(writer, "image", Image);
        SweepPlan.WriteNames(writer, "args", Args);
        SweepPlan.WriteNames(writer, "migrate", Migrate);
        WriteCountOrNull(writer, "max_cycles", MaxCycles);
        WriteCountOrNull(writer, "max_instructions", MaxInstructions);
        writer.WriteEndObject();
    }

    /// <summary>The canonical configuration as UTF-8 bytes.</summary>
    public byte[] Canonical()
    {
        using var bytes = new MemoryStream();
        using (var writer = new Utf8JsonWriter(bytes))
        {
            WriteCanonical(writer);
        }

        return bytes.ToArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteCountOrNull(Utf8JsonWriter writer, string name, ulong? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
