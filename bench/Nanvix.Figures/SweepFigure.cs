using System.Globalization;
using System.Text.Json;
using ScottPlot;

namespace Nanvix.Figures;

/// <summary>
/// The plots of a sweep: for each metric its sweep file lists under "plot", one horizontal bar per run of the merged
/// table (sweep.json of <c>nanvix sweep</c>), in the table's order, labeled with the run's axis values. The plots are
/// drawn here rather than by the CLI because ScottPlot draws through SkiaSharp, which the NativeAOT binary does not
/// carry.
/// </summary>
public static class SweepFigure
{
    /// <summary>Writes METRIC.png and METRIC.svg into <paramref name="directory"/>; returns 0, or 2 when the table is not one.</summary>
    public static int Write(TextWriter log, string table, string directory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(table));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"Nanvix.Figures: cannot read the sweep table '{table}': {e.Message}");
            return 2;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.GetString() != "nanvix-sweep-1")
            {
                Console.Error.WriteLine($"Nanvix.Figures: '{table}' is not the sweep.json of nanvix sweep");
                return 2;
            }

            string[] axes = [.. root.GetProperty("axes").EnumerateArray().Select(a => a.GetString()!)];
            JsonElement[] runs = [.. root.GetProperty("runs").EnumerateArray()];
            string[] labels = [.. runs.Select(r => Label(r, axes))];
            Directory.CreateDirectory(directory);
            foreach (string metric in root.GetProperty("plot").EnumerateArray().Select(m => m.GetString()!))
            {
                double[] values = [.. runs.Select(r => r.GetProperty("metrics").GetProperty(metric).GetDouble())];
                string path = Path.Combine(directory, metric + ".png");
                Plot(path, metric, labels, values);
                log.WriteLine(path);
            }
        }

        return 0;
    }

    private static void Plot(string path, string metric, string[] labels, double[] values)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<(double Position, string Label)>();

        // The first run at the top, as the table lists it.
        for (int i = 0; i < values.Length; i++)
        {
            double y = values.Length - 1 - i;
            bars.Add(new Bar { Position = y, Value = values[i], Size = 0.7, LineWidth = 0 });
            ticks.Add((y, labels[i]));
            var text = plot.Add.Text(" " + values[i].ToString("0.##", CultureInfo.InvariantCulture), values[i], y);
            text.LabelFontSize = 12;
            text.LabelAlignment = Alignment.MiddleLeft;
        }

        plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        plot.Axes.SetLimits(0, Math.Max(values.DefaultIfEmpty(0).Max(), 1) * 1.2, -0.7, values.Length - 0.3);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Title($"{metric.Replace('_', ' ')} per run");
        plot.XLabel(metric.Replace('_', ' '));
        int height = Math.Max(300, 120 + 36 * values.Length);
        plot.SavePng(path, 900, height);
        plot.SaveSvg(Path.ChangeExtension(path, ".svg"), 900, height);
    }

    /// <summary>A run's bar label: its axis values, "layout=uarea, migrate=3000:CC1" (an empty list shows as "-").</summary>
    private static string Label(JsonElement run, string[] axes)
    {
        JsonElement values = run.GetProperty("values");
        return string.Join(", ", axes.Select(a => $"{a}={Text(values.GetProperty(a))}"));

        static string Text(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Array when value.GetArrayLength() == 0 => "-",
            JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(Text)),
            _ => value.GetRawText(),
        };
    }
}
