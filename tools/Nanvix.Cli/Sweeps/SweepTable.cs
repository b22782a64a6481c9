using System.Text;
using System.Text.Json;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// Merges the results of a sweep's folder into one table, sweep.csv and sweep.json: one row per run of plan.json, in
/// its order, with the run's axis values and metrics as the result files wrote them. The table depends only on the
/// plan and the results, never on how or where the runs ran, so a local sweep and a merge of its tasks give the same
/// bytes.
/// </summary>
public static class SweepTable
{
    /// <summary>Merges <paramref name="folder"/>; returns the number of rows.</summary>
    /// <exception cref="HostInputException">There is no plan, it is not one, or a run has no result.</exception>
    public static int Merge(SweepFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        byte[] plan = SweepFolder.ReadIfThere(folder.Plan, "plan")
            ?? throw new HostInputException($"merge: no plan in '{folder.Path}' (expected {folder.Plan}, written by a sweep, a task or --emit)");
        using JsonDocument document = ParsePlan(folder, plan);
        JsonElement root = document.RootElement;
        string[] axes = Names(folder, root, "axes");
        string[] metrics = Names(folder, root, "metrics");
        string[] plot = Names(folder, root, "plot");
        if (!metrics.SequenceEqual(SweepMetrics.Names))
        {
            throw new HostInputException($"merge: '{folder.Plan}' lists other metrics than this nanvix ({string.Join(", ", SweepMetrics.Names)}); run its sweep again with this nanvix");
        }

        var rows = new List<(JsonElement Run, Dictionary<string, string> Metrics)>();
        var missing = new List<string>();
        foreach (JsonElement run in Member(folder, root, "runs", JsonValueKind.Array).EnumerateArray())
        {
            _ = Member(folder, run, "index", JsonValueKind.Number);
            string id = Member(folder, run, "id", JsonValueKind.String).GetString()!;
            _ = Member(folder, run, "values", JsonValueKind.Object);
            if (id.Length == 0 || !id.All(char.IsAsciiHexDigitLower))
            {
                throw NotAPlan(folder, $"run id '{id}' is not hex digits");
            }

            if (SweepRunner.Metrics(folder, id) is { } values)
            {
                rows.Add((run, values));
            }
            else
            {
                missing.Add($"{run.GetProperty("index").GetRawText()} ({id})");
            }
        }

        if (missing.Count > 0)
        {
            string some = string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : "");
            throw new HostInputException($"merge: {missing.Count} run{(missing.Count == 1 ? " has" : "s have")} no result in '{folder.Runs}': run {some} (run their tasks, or the sweep, again)");
        }

        SweepFolder.Write(folder.TableCsv, Csv(axes, metrics, rows), "the table");
        SweepFolder.Write(folder.TableJson, Json(axes, metrics, plot, rows), "the table");
        return rows.Count;
    }

    private static byte[] Csv(string[] axes, string[] metrics, List<(JsonElement Run, Dictionary<string, string> Metrics)> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["index", "id", .. axes.Select(Cell), .. metrics]).Append('\n');
        foreach ((JsonElement run, Dictionary<string, string> values) in rows)
        {
            JsonElement given = run.GetProperty("values");
            csv.Append(run.GetProperty("index").GetRawText()).Append(',').Append(run.GetProperty("id").GetString());
            foreach (string axis in axes)
            {
                csv.Append(',').Append(Cell(given.TryGetProperty(axis, out JsonElement value) ? Text(value) : ""));
            }

            foreach (string metric in metrics)
            {
                csv.Append(',').Append(values[metric]);
            }

            csv.Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static byte[] Json(string[] axes, string[] metrics, string[] plot, List<(JsonElement Run, Dictionary<string, string> Metrics)> rows)
    {
        using var bytes = new MemoryStream();
        using (var writer = new Utf8JsonWriter(bytes, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", SweepPlan.Format);
            SweepPlan.WriteNames(writer, "axes", axes);
            SweepPlan.WriteNames(writer, "metrics", metrics);
            SweepPlan.WriteNames(writer, "plot", plot);
            writer.WriteStartArray("runs");
            foreach ((JsonElement run, Dictionary<string, string> values) in rows)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("index");
                writer.WriteRawValue(run.GetProperty("index").GetRawText());
                writer.WriteString("id", run.GetProperty("id").GetString());
                writer.WritePropertyName("values");
                run.GetProperty("values").WriteTo(writer);
                writer.WriteStartObject("metrics");
                foreach (string metric in metrics)
                {
                    writer.WritePropertyName(metric);
                    writer.WriteRawValue(values[metric]);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        bytes.WriteByte((byte)'\n');
        return bytes.ToArray();
    }

    /// <summary>An axis value in a cell: a string as it is, a list of strings joined by spaces, a number or a boolean as JSON writes it.</summary>
    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(Text)),
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    /// <summary>A CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or an edge space.</summary>
    private static string Cell(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (text.Length > 0 && (text[0] == ' ' || text[^1] == ' '))
            ? '"' + text.Replace("\"", "\"\"", StringComparison.Ordinal) + '"'
            : text;

    private static JsonDocument ParsePlan(SweepFolder folder, byte[] plan)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(plan);
        }
        catch (JsonException e)
        {
            throw NotAPlan(folder, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("format", out JsonElement format)
            || format.ValueKind != JsonValueKind.String || format.GetString() != SweepPlan.Format)
        {
            document.Dispose();
            throw NotAPlan(folder, $"no \"format\": \"{SweepPlan.Format}\"");
        }

        return document;
    }

    private static string[] Names(SweepFolder folder, JsonElement root, string name)
    {
        JsonElement names = Member(folder, root, name, JsonValueKind.Array);
        return names.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String)
            ? [.. names.EnumerateArray().Select(n => n.GetString()!)]
            : throw NotAPlan(folder, $"\"{name}\" is not a list of names");
    }

    private static JsonElement Member(SweepFolder folder, JsonElement value, string name, JsonValueKind kind) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out JsonElement member) && member.ValueKind == kind
            ? member
            : throw NotAPlan(folder, $"no \"{name}\" of the right kind");

    private static HostInputException NotAPlan(SweepFolder folder, string why) =>
        new($"merge: '{folder.Plan}' is not a sweep plan: {why}");
}
