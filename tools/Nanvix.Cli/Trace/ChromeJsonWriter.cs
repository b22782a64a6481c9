using System.Globalization;
using System.Text.Json;

namespace Nanvix.Cli.Trace;

/// <summary>
/// Writes a <see cref="TraceModel"/> in the Chrome trace-event JSON format (chrome://tracing, and Perfetto's legacy
/// import): names as metadata events, slices as complete events ("X", µs), flows as "s"/"f" pairs, counters as "C".
/// Every track is a thread of its cluster's process.
/// </summary>
public static class ChromeJsonWriter
{
    public static void Write(TraceModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
        var byUuid = model.Tracks.ToDictionary(t => t.Uuid);
        foreach (TraceTrack track in model.Tracks)
        {
            json.WriteStartObject();
            json.WriteString("ph", "M");
            json.WriteNumber("pid", track.Pid);
            if (track.Parent == 0)
            {
                json.WriteString("name", "process_name");
            }
            else
            {
                json.WriteNumber("tid", Tid(track));
                json.WriteString("name", "thread_name");
            }

            json.WriteStartObject("args");
            json.WriteString("name", track.Name);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        foreach ((ulong cycle, int kind, TraceSlice? slice, TraceCounter counter) in model.Events())
        {
            if (kind == TraceModel.End)
            {
                continue;
            }

            if (kind == TraceModel.Counter)
            {
                TraceTrack counterTrack = byUuid[counter.Track];
                json.WriteStartObject();
                json.WriteString("ph", "C");
                json.WriteString("name", counterTrack.Name);
                json.WriteNumber("pid", counterTrack.Pid);
                Time(json, "ts", model, cycle);
                json.WriteStartObject("args");
                json.WriteNumber("value", counter.Value);
                json.WriteEndObject();
                json.WriteEndObject();
                continue;
            }

            TraceTrack track = byUuid[slice!.Track];
            json.WriteStartObject();
            json.WriteString("ph", "X");
            json.WriteString("name", slice.Name);
            json.WriteNumber("pid", track.Pid);
            json.WriteNumber("tid", Tid(track));
            Time(json, "ts", model, slice.Start);
            json.WriteNumber("dur", Microseconds(model, slice.End) - Microseconds(model, slice.Start));
            json.WriteStartObject("args");
            foreach ((string name, long value) in slice.Arguments)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            foreach ((ulong flow, string phase) in (ReadOnlySpan<(ulong, string)>)[(slice.FlowOut, "s"), (slice.FlowIn, "f")])
            {
                if (flow == 0)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("ph", phase);
                json.WriteString("name", "flow");
                json.WriteString("cat", "flow");
                json.WriteString("id", flow.ToString(CultureInfo.InvariantCulture));
                if (phase == "f")
                {
                    json.WriteString("bp", "e");
                }

                json.WriteNumber("pid", track.Pid);
                json.WriteNumber("tid", Tid(track));
                Time(json, "ts", model, slice.Start);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Tracks that are not cores become threads numbered after them: the low bits of their number.</summary>
    private static long Tid(TraceTrack track) => track.Tid != 0 ? track.Tid : 100_000 + (long)(track.Uuid & 0xFFFFF);

    private static decimal Microseconds(TraceModel model, ulong cycle) => Math.Round((decimal)cycle * 1_000_000m / model.FrequencyHz, 4);

    private static void Time(Utf8JsonWriter json, string name, TraceModel model, ulong cycle) => json.WriteNumber(name, Microseconds(model, cycle));
}
