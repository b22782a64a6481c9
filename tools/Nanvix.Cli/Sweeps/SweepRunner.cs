using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// Runs the runs of a sweep, each once: in-process, through the one run path of <c>nanvix run</c>
/// (<see cref="RunSession"/>), on up to <c>--jobs</c> host threads. A run whose result file is already in the folder is
/// not run again: runs are deterministic, so a result, once written, is the result.
/// </summary>
public static class SweepRunner
{
    /// <summary>What <see cref="RunAll"/> did: runs run now, runs whose result was there already.</summary>
    public readonly record struct Tally(int Ran, int Cached);

    /// <summary>Runs every run of <paramref name="plan"/> that has no result in <paramref name="folder"/> yet.</summary>
    /// <returns>The counts, or null when a signal stopped the sweep (the results written so far stay).</returns>
    /// <exception cref="HostInputException">A run could not start or its result could not be written.</exception>
    public static Tally? RunAll(SweepPlan plan, SweepFolder folder, int jobs, RunHost host)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(host);

        // Two rows of the table with the same configuration share one run.
        SweepRun[] distinct = [.. plan.Runs.DistinctBy(r => r.Id)];
        SweepRun[] pending = [.. distinct.Where(r => !HasResult(folder, r.Id))];
        int cached = distinct.Length - pending.Length;
        var progress = new SweepProgress(host.Progress ? host.Error : null, distinct.Length, cached);
        Exception? failure = null;
        var gate = new object();
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = jobs }, (run, loop) =>
        {
            try
            {
                if (Run(run, folder, host.Interrupt))
                {
                    progress.Done();
                }
                else
                {
                    loop.Stop();
                }
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    // A bug wins over bad input: it is what must be reported.
                    failure = failure is null or HostInputException ? e : failure;
                }

                loop.Stop();
            }
        });
        progress.Clear();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return host.Interrupt.Signal != 0 ? null : new Tally(pending.Length, cached);
    }

    /// <summary>Runs <paramref name="run"/> unless its result is there already.</summary>
    /// <returns>Whether it was run now (false: the result was there).</returns>
    /// <exception cref="HostInputException">The run could not start, was interrupted, or its result could not be written.</exception>
    public static bool RunOnce(SweepRun run, SweepFolder folder, RunInterrupt interrupt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(folder);
        if (HasResult(folder, run.Id))
        {
            return false;
        }

        return Run(run, folder, interrupt) ? true : throw new HostInputException($"sweep {run.Name}: interrupted; no result written");
    }

    /// <summary>Whether the folder holds a whole result for <paramref name="id"/> (a file that is not one is run again).</summary>
    public static bool HasResult(SweepFolder folder, string id)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Metrics(folder, id) is not null;
    }

    /// <summary>The metrics of the result of <paramref name="id"/>, as the result file wrote them; null when there is no whole result.</summary>
    internal static Dictionary<string, string>? Metrics(SweepFolder folder, string id)
    {
        byte[]? bytes = SweepFolder.ReadIfThere(folder.Result(id), "result file");
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out JsonElement written) || written.ValueKind != JsonValueKind.String || written.GetString() != id
                || !root.TryGetProperty("metrics", out JsonElement metrics) || metrics.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty metric in metrics.EnumerateObject())
            {
                if (metric.Value.ValueKind == JsonValueKind.Number)
                {
                    values[metric.Name] = metric.Value.GetRawText();
                }
            }

            return SweepMetrics.Names.All(values.ContainsKey) ? values : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="run"/> and writes its result; false when a signal stopped it (nothing is written then).</summary>
    private static bool Run(SweepRun run, SweepFolder folder, RunInterrupt interrupt)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        RunReport? report = null;
        try
        {
            RunSession.Execute(run.Workload, run.Settings, new RunHost(output, error, null, interrupt, Progress: false), r => report = r);
        }
        catch (HostInputException e)
        {
            throw new HostInputException($"sweep {run.Name}: {e.Message}");
        }

        if (report is null || report.Stopped == RunSession.StoppedByInterrupt)
        {
            return false;
        }

        SweepFolder.Write(folder.Result(run.Id), Result(run, report, output.ToString(), error.ToString()), "the result file");
        return true;
    }

    /// <summary>The result file: the id, the canonical configuration, the metrics, what the programs printed, and the whole statistics.</summary>
    private static byte[] Result(SweepRun run, RunReport report, string output, string error)
    {
        using var bytes = new MemoryStream();
        using (var writer = new Utf8JsonWriter(bytes, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", run.Id);
            writer.WritePropertyName("config");
            run.Options.WriteCanonical(writer);
            writer.WritePropertyName("metrics");
            SweepMetrics.Write(writer, report);
            writer.WriteString("stdout", output);
            writer.WriteString("stderr", error);
            writer.WritePropertyName("report");
            writer.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(report, RunReportJsonContext.Default.RunReport));
            writer.WriteEndObject();
        }

        bytes.WriteByte((byte)'\n');
        return bytes.ToArray();
    }
}
