using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Cli.Sweeps;

/// <summary>
/// A sweep expanded into its runs: every combination of the axes' values, in nested-loop order (the first axis varies
/// slowest), each checked as <c>nanvix run</c> would check it (the cluster and the moves against the machine, every
/// program read and parsed), so that no run starts when one of them is wrong.
/// </summary>
public sealed class SweepPlan
{
    /// <summary>What the plan file and the merged table say they are, so that a later format is told apart.</summary>
    public const string Format = "nanvix-sweep-1";

    private SweepPlan(SweepFile file, IReadOnlyList<SweepRun> runs)
    {
        File = file;
        Runs = runs;
    }

    public SweepFile File { get; }

    public IReadOnlyList<SweepRun> Runs { get; }

    /// <summary>Reads and expands the sweep file <paramref name="path"/>.</summary>
    /// <exception cref="HostInputException">The file, a run's options or a program is wrong; the message names the file and the run.</exception>
    public static SweepPlan Expand(string path)
    {
        SweepFile file = SweepFileReader.Read(path);
        int count = file.Axes.Aggregate(1, (product, axis) => product * axis.Values.Count);
        var workloads = new Dictionary<string, Workload>(StringComparer.Ordinal);
        var runs = new List<SweepRun>(count);
        for (int index = 0; index < count; index++)
        {
            var values = new SweepValue[file.Axes.Count];
            int rest = index;
            for (int a = file.Axes.Count - 1; a >= 0; a--)
            {
                IReadOnlyList<SweepValue> axis = file.Axes[a].Values;
                values[a] = axis[rest % axis.Count];
                rest /= axis.Count;
            }

            runs.Add(Run(file, index, values, workloads));
        }

        return new SweepPlan(file, runs);
    }

    /// <summary>
    /// The plan file (plan.json in the output folder): the axes, the metrics, and each run's index, id and axis values.
    /// A task writes it and <c>--merge</c> reads it, so that merging needs no sweep file and no program.
    /// </summary>
    public byte[] PlanFile()
    {
        using var bytes = new MemoryStream();
        using (var writer = new Utf8JsonWriter(bytes, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            WriteNames(writer, "axes", File.Axes.Select(a => a.Option));
            WriteNames(writer, "metrics", SweepMetrics.Names);
            WriteNames(writer, "plot", File.Plot);
            writer.WriteStartArray("runs");
            foreach (SweepRun run in Runs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", run.Index);
                writer.WriteString("id", run.Id);
                writer.WriteStartObject("values");
                foreach (SweepValue value in run.Values)
                {
                    writer.WritePropertyName(value.Option);
                    writer.WriteRawValue(value.Json);
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

    /// <summary>Writes <paramref name="names"/> as an array of strings.</summary>
    internal static void WriteNames(Utf8JsonWriter writer, string property, IEnumerable<string> names)
    {
        writer.WriteStartArray(property);
        foreach (string name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }

    private static SweepRun Run(SweepFile file, int index, SweepValue[] values, Dictionary<string, Workload> workloads)
    {
        SweepOptions options = new();
        foreach (SweepValue value in file.Base.Concat(values))
        {
            options = value.Apply(options);
        }

        try
        {
            ProcessorSpec spec = MachineCatalog.Get(options.Machine);
            string[] compute = [.. spec.Clusters.Where(c => c.Kind == ClusterKind.Compute).Select(c => c.Name)];
            string cluster = compute.FirstOrDefault(c => string.Equals(c, options.Cluster, StringComparison.OrdinalIgnoreCase))
                ?? throw new HostInputException($"cluster '{options.Cluster}' is not a compute cluster of {spec.Name} (compute clusters: {string.Join(", ", compute)})");
            var moves = new List<MigrationRequest>();
            foreach (string text in options.Migrate)
            {
                moves.Add(MigrationRequest.TryParse(text, compute, out MigrationRequest move, out string? problem) ? move : throw new HostInputException($"migrate: {problem}"));
            }

            ClusterSpec computeSpec = spec.Clusters.First(c => c.Kind == ClusterKind.Compute);
            Nanvix.Arch.Cache.CacheGeometry? icache = Geometry("icache", options.Icache, options.Cache, computeSpec.InstructionCache);
            Nanvix.Arch.Cache.CacheGeometry? dcache = Geometry("dcache", options.Dcache, options.Cache, computeSpec.DataCache);
            if (options.MissPenalty is { } penalty && (!options.Cache || penalty > 100_000))
            {
                throw new HostInputException(options.Cache ? "miss_penalty: at most 100000 cycles" : "miss_penalty: it is the cost of a miss of the cache model; give cache on too");
            }

            options = options with
            {
                Cluster = cluster,
                Migrate = [.. moves.Select(m => m.ToString())],
                Icache = icache is null ? null : CacheOption.Describe(icache),
                Dcache = dcache is null ? null : CacheOption.Describe(dcache),
            };
            Workload workload = Workload(file, spec, options, workloads);
            var settings = new RunSettings(
                options.Program,
                options.Args,
                cluster,
                options.Layout == "scattered" ? ProcessLayoutKind.Scattered : ProcessLayoutKind.UArea,
                options.Timing == "nanvix" ? NocTimingMode.Nanvix : NocTimingMode.Hardware,
                options.Cache,
                StatsPath: null,
                Verbose: false)
            {
                Machine = spec.Name,
                Quiet = true,
                Engine = options.Engine == "step" ? HartEngine.Step : HartEngine.Fast,
                MaxCycles = options.MaxCycles,
                MaxInstructions = options.MaxInstructions,
                Migrations = moves,
                InstructionCache = icache,
                DataCache = dcache,
                MissPenalty = options.MissPenalty is { } cost ? (uint)cost : null,
                Argv0 = options.Argv0,
            };
            return new SweepRun(index, Id(options, workload), values, options, workload, settings);
        }
        catch (HostInputException e)
        {
            throw new HostInputException($"sweep '{file.Path}', {SweepRun.Describe(index, values)}: {e.Message}");
        }
    }

    /// <summary>A geometry option checked as <c>nanvix run</c> checks it: with the cache model on, in the machine's terms.</summary>
    private static Nanvix.Arch.Cache.CacheGeometry? Geometry(string option, string? text, bool cache, Nanvix.Arch.Cache.CacheGeometry machine)
    {
        if (text is null)
        {
            return null;
        }

        if (!cache)
        {
            throw new HostInputException($"{option}: it shapes the cache model; give cache on too");
        }

        return CacheOption.TryParse(text, machine, out Nanvix.Arch.Cache.CacheGeometry geometry, out string? problem) ? geometry : throw new HostInputException($"{option}: {problem}");
    }

    /// <summary>What the run starts; one read and one check per program (or image) and machine, however many runs share it.</summary>
    private static Workload Workload(SweepFile file, ProcessorSpec spec, SweepOptions options, Dictionary<string, Workload> workloads)
    {
        string written = options.Program ?? options.Image!;
        string path = Path.IsPathRooted(written) ? written : Path.Combine(file.Folder, written);
        string key = $"{spec.Name}\0{options.Image is null}\0{path}";
        if (!workloads.TryGetValue(key, out Workload? shared))
        {
            shared = options.Image is null
                ? new Workload([new WorkloadProgram("CC0", written, written, RunCommand.ReadProgram(spec, path), [])], [], IsImage: false)
                : Nanvix.Cli.Workload.OfImage(spec, path);
            RunSession.Load(spec, shared);
            workloads[key] = shared;
        }

        // One program runs on the run's cluster with the run's arguments; an image says both itself.
        return options.Image is null
            ? shared with { Programs = [shared.Programs[0] with { Cluster = options.Cluster, Arguments = options.Args, Argv0 = options.Argv0 }] }
            : shared;
    }

    /// <summary>The run id: SHA-256 over the canonical configuration and every program the run starts (cluster, name, arguments, bytes).</summary>
    private static string Id(SweepOptions options, Workload workload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Format + "\n"));
        hash.AppendData(options.Canonical());
        foreach (WorkloadProgram program in workload.Programs)
        {
            Append(hash, $"program {program.Cluster} {program.Name} {string.Join('\0', program.Arguments)}", program.Elf);
        }

        foreach (WorkloadLibraryEntry entry in workload.Library)
        {
            Append(hash, $"library {entry.Name}", entry.Elf);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Append(IncrementalHash hash, string label, byte[] bytes)
    {
        byte[] head = Encoding.UTF8.GetBytes($"\n{label}\0{bytes.Length}\0");
        hash.AppendData(head);
        hash.AppendData(bytes);
    }
}
