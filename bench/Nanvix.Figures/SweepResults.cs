using System.Globalization;
using System.Text.Json;
using Nanvix.Cli;

namespace Nanvix.Figures;

/// <summary>A sweep's table, or what it says, is not what a figure needs: one line that says why (exit status 2).</summary>
public sealed class FigureInputException(string message) : Exception(message);

/// <summary>
/// One row of a sweep's merged table (sweep.json), with its run's result file (runs/ID.json): the canonical
/// configuration of the whole run, its metrics, what it printed and its whole statistics. The figures read only these.
/// </summary>
public sealed record SweepRow(int Index, string Id, JsonElement Config, JsonElement Metrics, string Stdout, JsonElement Report)
{
    /// <summary>The run in messages, "run 3 (id 0123456789abcdef)".</summary>
    public string Name => $"run {Index} (id {Id})";

    /// <summary>A whole-number metric of the table (cycles, dcache_kernel_misses, ...).</summary>
    public ulong Metric(string name) => Metrics.TryGetProperty(name, out JsonElement value) && value.TryGetUInt64(out ulong number)
        ? number
        : throw new FigureInputException($"{Name}: the table has no whole-number metric '{name}'");

    /// <summary>An option of the run's canonical configuration, as its compact JSON ("null" when absent).</summary>
    public string Option(string name) => Config.TryGetProperty(name, out JsonElement value) ? value.GetRawText() : "null";

    /// <summary>A string option of the configuration; null when absent or null.</summary>
    public string? Text(string name) => Config.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The configuration without the options <paramref name="varied"/>: two runs that differ only in those have the same.</summary>
    public string ConfigWithout(params string[] varied) =>
        string.Join(",", Config.EnumerateObject().Where(p => !varied.Contains(p.Name)).Select(p => $"{p.Name}={p.Value.GetRawText()}"));
}

/// <summary>
/// Runs a sweep file through <c>nanvix sweep</c> in-process (the CLI's own code: its expansion, its run ids and cache, its
/// table), then reads the merged table back row by row with the result of each run.
/// </summary>
public static class SweepResults
{
    /// <summary>
    /// Runs <paramref name="sweepFile"/> into <paramref name="folder"/> (runs with a result there are not run again) and
    /// reads the table. The sweep's own messages go to stderr.
    /// </summary>
    public static IReadOnlyList<SweepRow> Run(string sweepFile, string folder)
    {
        int status = NanvixCommand.Run(["sweep", sweepFile, "--out", folder, "--quiet"], Console.Error, Console.Error);
        return status == 0 ? Read(folder) : throw new FigureInputException($"nanvix sweep {sweepFile} --out {folder} failed with status {status} (its message is above)");
    }

    /// <summary>Reads the merged table of <paramref name="folder"/> (sweep.json) and each row's result file.</summary>
    public static IReadOnlyList<SweepRow> Read(string folder)
    {
        string table = Path.Combine(folder, "sweep.json");
        using JsonDocument document = Parse(table);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String
            || format.GetString() != "nanvix-sweep-1" || !root.TryGetProperty("runs", out JsonElement runs) || runs.ValueKind != JsonValueKind.Array)
        {
            throw new FigureInputException($"'{table}' is not the sweep.json of nanvix sweep");
        }

        var rows = new List<SweepRow>();
        foreach (JsonElement run in runs.EnumerateArray())
        {
            if (run.ValueKind != JsonValueKind.Object || !run.TryGetProperty("index", out JsonElement index) || !index.TryGetInt32(out int number)
                || !run.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || !id.GetString()!.All(char.IsAsciiHexDigitLower))
            {
                throw new FigureInputException($"'{table}': row {rows.Count} is not a run of nanvix sweep");
            }

            string result = Path.Combine(folder, "runs", id.GetString() + ".json");
            using JsonDocument file = Parse(result);
            JsonElement r = file.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("config", out JsonElement config) || config.ValueKind != JsonValueKind.Object
                || !r.TryGetProperty("metrics", out JsonElement metrics) || metrics.ValueKind != JsonValueKind.Object
                || !r.TryGetProperty("stdout", out JsonElement stdout) || stdout.ValueKind != JsonValueKind.String
                || !r.TryGetProperty("report", out JsonElement report) || report.ValueKind != JsonValueKind.Object)
            {
                throw new FigureInputException($"'{result}' is not the result file of a run of nanvix sweep");
            }

            rows.Add(new SweepRow(number, id.GetString()!, config.Clone(), metrics.Clone(), stdout.GetString()!, report.Clone()));
        }

        return rows;
    }

    /// <summary>A whole number of a JSON object, or a clear error that names where.</summary>
    public static ulong Count(JsonElement value, string name, string where) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out JsonElement number) && number.TryGetUInt64(out ulong count)
            ? count
            : throw new FigureInputException($"{where}: no whole number '{name}'");

    /// <summary>The KB of a geometry as the statistics write it, SIZE:WAYS:LINE in bytes ("8192:2:64").</summary>
    public static (int SizeBytes, int Ways, int LineBytes) Geometry(string? text, string where)
    {
        string[] parts = text?.Split(':') ?? [];
        return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
            : throw new FigureInputException($"{where}: '{text}' is not a cache geometry SIZE:WAYS:LINE");
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new FigureInputException($"cannot read '{path}': {e.Message}");
        }
    }
}
