using Nanvix.Arch.Core;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Cli;

/// <summary>What <c>nanvix run</c> was asked to do, as parsed from its flags.</summary>
/// <param name="ProgramPath">The ELF file to run; null for the built-in demo.</param>
/// <param name="Arguments">The program's arguments (argv[1..]).</param>
/// <param name="Cluster">The compute cluster that runs it (CC0..CC15).</param>
/// <param name="Layout">Where the kernel keeps per-process state.</param>
/// <param name="Timing">The NoC timing mode of the processor.</param>
/// <param name="Cache">Whether the per-core I$ and D$ are modeled.</param>
/// <param name="StatsPath">Where to write the JSON statistics; null for none.</param>
/// <param name="Verbose">Whether to print the summary lines on stderr.</param>
public sealed record RunSettings(
    string? ProgramPath,
    IReadOnlyList<string> Arguments,
    string Cluster,
    ProcessLayoutKind Layout,
    NocTimingMode Timing,
    bool Cache,
    string? StatsPath,
    bool Verbose)
{
    /// <summary>The machine, as <c>--machine</c> names it.</summary>
    public string Machine { get; init; } = Nanvix.Hal.Machine.Mppa256.MachineName;

    /// <summary>No line per migration and no progress line.</summary>
    public bool Quiet { get; init; }

    /// <summary>Stop when simulated time reaches this many cycles; null for no limit.</summary>
    public ulong? MaxCycles { get; init; }

    /// <summary>Stop when the cores have retired this many instructions; null for no limit.</summary>
    public ulong? MaxInstructions { get; init; }

    /// <summary>How the cores execute: the fast engine, or the reference stepping engine (<c>--engine step</c>).</summary>
    public HartEngine Engine { get; init; }

    /// <summary>The I$ of every compute cluster with the cache model on (<c>--icache</c>); null for the machine's.</summary>
    public Nanvix.Arch.Cache.CacheGeometry? InstructionCache { get; init; }

    /// <summary>The D$ (<c>--dcache</c>); null for the machine's.</summary>
    public Nanvix.Arch.Cache.CacheGeometry? DataCache { get; init; }

    /// <summary>Cycles a cache miss costs with the cache model on (<c>--miss-penalty</c>); null for the machine's.</summary>
    public uint? MissPenalty { get; init; }

    /// <summary>Where to write the timeline trace (<c>--trace</c>: Perfetto protobuf, or Chrome JSON for a .json path); null for none.</summary>
    public string? TracePath { get; init; }

    /// <summary>The kinds of events the trace holds (<c>--trace-filter</c>).</summary>
    public Trace.TraceKinds TraceKinds { get; init; } = Trace.TraceKinds.All;

    /// <summary>Bytes left between User Areas (<c>--uarea-gap</c>; UArea layout, whole cache lines); 0 packs them.</summary>
    public int UAreaGap { get; init; }

    /// <summary>Pre-copy rounds a <c>precopy</c> move makes at most (<c>--precopy-rounds</c>; 0: the kernel's default).</summary>
    public int PrecopyRounds { get; init; }

    /// <summary>Whether every kernel D$ miss is named by structure and field (<c>--annotate</c>; needs the cache model).</summary>
    public bool Annotate { get; init; }

    /// <summary>
    /// The program's argv[0] as it sees it (<c>--argv0</c>); null for the default, the path as given (the demo's:
    /// "demo"). The statistics still name the program by its path.
    /// </summary>
    public string? Argv0 { get; init; }

    /// <summary>The moves <c>--migrate CYCLE:CLUSTER</c> asked for.</summary>
    public IReadOnlyList<MigrationRequest> Migrations { get; init; } = [];
}
