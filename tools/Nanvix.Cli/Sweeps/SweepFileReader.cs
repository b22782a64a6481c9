using System.Globalization;
using System.Text.Json;
using Nanvix.Hal.Machine;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// Reads a sweep file strictly, as <see cref="ImageFileReader"/> reads an image: plain JSON, every key known and given
/// once, every value of the kind its option takes; a mistake is one message that says where (<c>axes.layout[1]</c>)
/// and what was expected. Which cluster and which moves are right depends on the machine, so those are checked per
/// run, when the sweep is expanded (<see cref="SweepPlan"/>).
/// </summary>
public static class SweepFileReader
{
    /// <summary>What a sweep file looks like, for the messages.</summary>
    public const string Example = "{\"base\": {\"program\": \"hello.elf\"}, \"axes\": {\"layout\": [\"uarea\", \"scattered\"]}}";

    /// <summary>The largest sweep file read (1 MB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The most runs a sweep may expand to: more is a mistake in the file rather than an experiment.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>The options a run takes, as base keys and axis names, in the order of <see cref="SweepOptions.WriteCanonical"/>.</summary>
    public static readonly string[] OptionNames = ["machine", "cluster", "layout", "timing", "cache", "icache", "dcache", "miss_penalty", "engine", "program", "argv0", "image", "args", "migrate", "max_cycles", "max_instructions"];

    private static readonly string[] TopKeys = ["description", "base", "axes", "plot"];

    /// <summary>Reads the sweep file <paramref name="path"/>.</summary>
    /// <exception cref="HostInputException">It cannot be read or says the wrong thing; the message names the file.</exception>
    public static SweepFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = HostFile.Read(path, MaxFileBytes, "no sweep file is that big");
        try
        {
            using JsonDocument document = StrictJson.Parse(bytes, "a sweep file", Example);
            string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
            return Sweep(document.RootElement, path, folder);
        }
        catch (FormatException e)
        {
            throw new HostInputException($"sweep '{path}': {e.Message}");
        }
    }

    private static SweepFile Sweep(JsonElement root, string path, string folder)
    {
        StrictJson.Expect(root, JsonValueKind.Object, "the file", $"an object such as {Example}");
        IReadOnlyList<SweepValue> settings = [];
        var axes = new List<SweepAxis>();
        IReadOnlyList<string> plot = ["cycles"];
        foreach (JsonProperty property in StrictJson.Properties(root, null, TopKeys, "the top level"))
        {
            switch (property.Name)
            {
                case "description":
                    StrictJson.Text(property.Value, "description", "a string");
                    break;
                case "base":
                    StrictJson.Expect(property.Value, JsonValueKind.Object, "base", "an object of options (" + string.Join(", ", OptionNames) + ")");
                    settings = [.. StrictJson.Properties(property.Value, "base", OptionNames, "base").Select(p => Value(p.Name, p.Value, $"base.{p.Name}"))];
                    break;
                case "axes":
                    axes = Axes(property.Value);
                    break;
                default:
                    plot = Plot(property.Value);
                    break;
            }
        }

        bool program = settings.Any(s => s.Option == "program") || axes.Exists(a => a.Option == "program");
        bool image = settings.Any(s => s.Option == "image") || axes.Exists(a => a.Option == "image");
        if (program == image)
        {
            throw new FormatException(program
                ? "give \"program\" or \"image\", not both (an image names its own programs)"
                : $"no program: give \"program\" (or \"image\") in base or as an axis (expected {Example})");
        }

        if (image && (settings.Any(s => s.Option is "cluster" or "args" or "argv0") || axes.Exists(a => a.Option is "cluster" or "args" or "argv0")))
        {
            throw new FormatException("an image says where each of its programs starts, by what name and with what arguments; give no \"cluster\", \"argv0\" or \"args\" with \"image\"");
        }

        long runs = axes.Aggregate(1L, (product, axis) => Math.Min(product * axis.Values.Count, MaxRuns + 1L));
        if (runs > MaxRuns)
        {
            throw new FormatException($"the axes give more than {MaxRuns} runs");
        }

        return new SweepFile(path, folder, settings, axes, plot);
    }

    private static List<SweepAxis> Axes(JsonElement value)
    {
        StrictJson.Expect(value, JsonValueKind.Object, "axes", "an object: each key an option, each value the list of values it takes");
        var axes = new List<SweepAxis>();
        foreach (JsonProperty property in StrictJson.Properties(value, "axes", OptionNames, "axes"))
        {
            string where = $"axes.{property.Name}";
            StrictJson.Expect(property.Value, JsonValueKind.Array, where, "an array of the values the option takes");
            if (property.Value.GetArrayLength() == 0)
            {
                throw new FormatException($"{where}: an axis needs at least one value");
            }

            axes.Add(new SweepAxis(property.Name, [.. property.Value.EnumerateArray().Select((v, i) => Value(property.Name, v, $"{where}[{i}]"))]));
        }

        return axes;
    }

    private static List<string> Plot(JsonElement value)
    {
        List<string> metrics = StrictJson.Strings(value, "plot", "the name of a metric", path: false);
        foreach ((string metric, int i) in metrics.Select((m, i) => (m, i)))
        {
            if (!SweepMetrics.Names.Contains(metric, StringComparer.Ordinal))
            {
                throw new FormatException($"plot[{i}]: unknown metric {StrictJson.Quote(metric)} (metrics: {string.Join(", ", SweepMetrics.Names)})");
            }
        }

        return metrics;
    }

    /// <summary>One value of <paramref name="option"/>, checked for the kind the option takes.</summary>
    private static SweepValue Value(string option, JsonElement value, string where)
    {
        switch (option)
        {
            case "machine":
                string machine = Choice(value, where, [.. MachineCatalog.Names]);
                return Set(option, machine, o => o with { Machine = machine });
            case "layout":
                string layout = Choice(value, where, "uarea", "scattered");
                return Set(option, layout, o => o with { Layout = layout });
            case "timing":
                string timing = Choice(value, where, "hardware", "nanvix");
                return Set(option, timing, o => o with { Timing = timing });
            case "engine":
                string engine = Choice(value, where, "fast", "step");
                return Set(option, engine, o => o with { Engine = engine });
            case "cache":
                bool cache = value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String => Choice(value, where, "on", "off") == "on",
                    _ => throw new FormatException($"{where}: expected true, false, \"on\" or \"off\", found {StrictJson.KindName(value.ValueKind)}"),
                };
                return new SweepValue(option, cache ? "true" : "false", cache ? "on" : "off", o => o with { Cache = cache });
            case "icache":
                string icache = StrictJson.Text(value, where, "a cache geometry SIZE[:WAYS[:LINE]] (e.g. \"16K:4\")");
                return Set(option, icache, o => o with { Icache = icache });
            case "dcache":
                string dcache = StrictJson.Text(value, where, "a cache geometry SIZE[:WAYS[:LINE]] (e.g. \"2K\")");
                return Set(option, dcache, o => o with { Dcache = dcache });
            case "cluster":
                string cluster = StrictJson.Text(value, where, "the name of a compute cluster (CC0, CC1, ...)");
                return Set(option, cluster, o => o with { Cluster = cluster });
            case "program":
                string program = StrictJson.Path(value, where);
                return Set(option, program, o => o with { Program = program });
            case "argv0":
                string argv0 = StrictJson.Text(value, where, "the program's argv[0], a string");
                return argv0.Contains('\0', StringComparison.Ordinal)
                    ? throw new FormatException($"{where}: argv[0] cannot hold a NUL character (a C string ends there)")
                    : Set(option, argv0, o => o with { Argv0 = argv0 });
            case "image":
                string image = StrictJson.Path(value, where);
                return Set(option, image, o => o with { Image = image });
            case "args":
                List<string> args = StrictJson.Strings(value, where, "an argument string", path: false);
                return Set(option, args, o => o with { Args = args });
            case "migrate":
                List<string> moves = StrictJson.Strings(value, where, "a move CYCLE:CLUSTER[:PID]", path: false);
                return Set(option, moves, o => o with { Migrate = moves });
            case "miss_penalty":
                ulong penalty = Count(value, where, "cycles");
                return new SweepValue(option, Digits(penalty), Digits(penalty), o => o with { MissPenalty = penalty });
            case "max_cycles":
                ulong cycles = Count(value, where, "cycles");
                return new SweepValue(option, Digits(cycles), Digits(cycles), o => o with { MaxCycles = cycles });
            default:
                ulong instructions = Count(value, where, "instructions");
                return new SweepValue(option, Digits(instructions), Digits(instructions), o => o with { MaxInstructions = instructions });
        }
    }

    private static SweepValue Set(string option, string text, Func<SweepOptions, SweepOptions> apply) =>
        new(option, Compact(w => w.WriteStringValue(text)), text, apply);

    private static SweepValue Set(string option, List<string> texts, Func<SweepOptions, SweepOptions> apply) =>
        new(option, Compact(w =>
        {
            w.WriteStartArray();
            texts.ForEach(w.WriteStringValue);
            w.WriteEndArray();
        }), string.Join(' ', texts), apply);

    private static string Choice(JsonElement value, string where, params string[] choices)
    {
        string expected = $"one of {string.Join(", ", choices.Select(StrictJson.Quote))}";
        string text = StrictJson.Text(value, where, expected);
        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException($"{where}: {StrictJson.Quote(text)} is not {expected} (in any case)");
    }

    private static ulong Count(JsonElement value, string where, string unit)
    {
        string expected = $"a number of {unit} (a whole number from 1)";
        StrictJson.Expect(value, JsonValueKind.Number, where, expected);
        return value.TryGetUInt64(out ulong count) && count > 0 ? count : throw new FormatException($"{where}: {value.GetRawText()} is not {expected}");
    }

    private static string Digits(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Compact(Action<Utf8JsonWriter> write)
    {
        using var bytes = new MemoryStream();
        using (var writer = new Utf8JsonWriter(bytes))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
