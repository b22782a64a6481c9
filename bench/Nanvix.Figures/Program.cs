using System.Globalization;
using Nanvix.Figures;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;

// Modeled figures are deterministic: the same build gives the same tables and plots on any host.
string figure = args.Length > 0 ? args[0] : "";
string output = Path.Combine("docs", "figures");
int dataCacheKB = 8;
string? plot = null;
NocTimingMode[] timings = [NocTimingMode.Hardware, NocTimingMode.Nanvix];
ProcessLayoutKind[] layouts = [ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered];
var targets = new List<string>();
var migrationOptions = new List<string>();
int moves = 12_000;
var hostOptions = new List<string>();
var soakOptions = new List<string>();
int seed = 1;
string? soakSample = null;
string? sweepTable = null;
var sweepOptions = new List<string>();
string? replay = null;
string? figureSweep = null;
string? figureSweepOut = null;
var figureSweepOptions = new List<string>();
ProcessorSpec spec = Mppa256.Spec();
for (int i = 1; i < args.Length; i += 2)
{
    if (i + 1 >= args.Length)
    {
        return Usage(args[i].StartsWith("--", StringComparison.Ordinal) ? $"option '{args[i]}' needs a value" : $"unexpected argument '{args[i]}'");
    }

    string option = args[i];
    string value = args[i + 1];
    switch (option)
    {
        case "--out":
            output = value;
            break;
        case "--dcache-kb" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int kb) && kb > 0 && (kb & (kb - 1)) == 0:
            dataCacheKB = kb;
            break;
        case "--timing":
            migrationOptions.Add(option);
            switch (value.ToLowerInvariant())
            {
                case "hardware":
                    timings = [NocTimingMode.Hardware];
                    break;
                case "nanvix":
                    timings = [NocTimingMode.Nanvix];
                    break;
                case "both":
                    timings = [NocTimingMode.Hardware, NocTimingMode.Nanvix];
                    break;
                default:
                    return Usage($"bad option '--timing {value}' (hardware, nanvix or both)");
            }

            break;
        case "--layout":
            migrationOptions.Add(option);
            switch (value.ToLowerInvariant())
            {
                case "uarea":
                    layouts = [ProcessLayoutKind.UArea];
                    break;
                case "scattered":
                    layouts = [ProcessLayoutKind.Scattered];
                    break;
                case "both":
                    layouts = [ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered];
                    break;
                default:
                    return Usage($"bad option '--layout {value}' (uarea, scattered or both)");
            }

            break;
        case "--to":
            migrationOptions.Add(option);
            if (MigrationFigure.Target(spec, value, out string? problem) is not { } target)
            {
                return Usage(problem!);
            }

            if (!targets.Contains(target))
            {
                targets.Add(target);
            }

            break;
        case "--seed":
            soakOptions.Add(option);
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
            {
                return Usage($"bad option '--seed {value}' (a whole number)");
            }

            break;
        case "--replay":
            soakOptions.Add(option);
            replay = value;
            break;
        case "--sample":
            soakOptions.Add(option);
            soakSample = value;
            if (!Nanvix.Tests.Shared.Stress.StressSample.All.Any(s => s.Name == value))
            {
                return Usage($"bad option '--sample {value}' ({string.Join(", ", Nanvix.Tests.Shared.Stress.StressSample.All.Select(s => s.Name))})");
            }

            break;
        case "--moves":
            hostOptions.Add(option);
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out moves) || moves < 2)
            {
                return Usage($"bad option '--moves {value}' (a whole number of moves, at least 2)");
            }

            break;
        case "--sweep":
            figureSweepOptions.Add(option);
            figureSweep = value;
            break;
        case "--sweep-out":
            figureSweepOptions.Add(option);
            figureSweepOut = value;
            break;
        case "--table":
            sweepOptions.Add(option);
            sweepTable = value;
            break;
        case "--plot":
            migrationOptions.Add(option);
            if (!value.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                return Usage($"bad option '--plot {value}' (a .png path; an .svg is written beside it)");
            }

            plot = value;
            break;
        default:
            return Usage($"bad option '{option} {value}'");
    }
}

if (figure != "migration" && migrationOptions.Count > 0 && !(figure == "migration-host" && migrationOptions.All(o => o == "--layout")))
{
    return Usage($"option '{migrationOptions[0]}' applies to the migration figure only");
}

if (figure is not ("migration-host" or "soak") && hostOptions.Count > 0)
{
    return Usage($"option '{hostOptions[0]}' applies to the migration-host figure and the soak only");
}

if (figure != "soak" && soakOptions.Count > 0)
{
    return Usage($"option '{soakOptions[0]}' applies to the soak only");
}

if (figure != "sweep" && sweepOptions.Count > 0)
{
    return Usage($"option '{sweepOptions[0]}' applies to the sweep plots only");
}

if (figure is not ("forkjoin" or "migration") && figureSweepOptions.Count > 0)
{
    return Usage($"option '{figureSweepOptions[0]}' applies to the forkjoin and migration figures only");
}

if (figureSweep is null && figureSweepOut is not null)
{
    return Usage("--sweep-out DIR is the folder of the sweep of --sweep FILE; give --sweep too");
}

if (figureSweep is not null && (args.Contains("--dcache-kb") || migrationOptions.Any(o => o != "--plot")))
{
    return Usage($"option '{(args.Contains("--dcache-kb") ? "--dcache-kb" : migrationOptions.First(o => o != "--plot"))}' is for the direct figure; with --sweep the sweep file says what the runs are");
}

try
{
    return Figure();
}
catch (FigureInputException e)
{
    Console.Error.WriteLine($"Nanvix.Figures: {e.Message}");
    return 2;
}

int Figure()
{
switch (figure)
{
    case "forkjoin" when figureSweep is not null:
        Directory.CreateDirectory(output);
        foreach (ForkJoinFigure.Table table in ForkJoinFigure.FromSweep(SweepResults.Run(figureSweep, figureSweepOut ?? DefaultSweepOut(figureSweep))))
        {
            ForkJoinFigure.Write(Console.Out, output, table);
            Console.Out.WriteLine();
        }

        return 0;
    case "migration" when figureSweep is not null:
        plot ??= Path.Combine(output, "migration.png");
        if (Path.GetDirectoryName(plot) is { Length: > 0 } sweepPlots)
        {
            Directory.CreateDirectory(sweepPlots);
        }

        MigrationFigure.WriteFromSweep(Console.Out, plot, SweepResults.Run(figureSweep, figureSweepOut ?? DefaultSweepOut(figureSweep)));
        return 0;
    case "sweep" when sweepTable is null:
        return Usage("sweep: give --table DIR/sweep.json (the merged table of nanvix sweep)");
    case "sweep":
        return SweepFigure.Write(Console.Out, sweepTable, args.Contains("--out") ? output : Path.GetDirectoryName(Path.GetFullPath(sweepTable))!);
    case "forkjoin":
        Directory.CreateDirectory(output);
        ForkJoinFigure.Write(Console.Out, output, dataCacheKB);
        return 0;
    case "fig3":
        Directory.CreateDirectory(output);
        SeedFigure3.Write(Console.Out, output);
        return 0;
    case "live":
        Directory.CreateDirectory(output);
        LiveFigure.Write(Console.Out, output);
        return 0;
    case "ikc":
        Directory.CreateDirectory(output);
        IkcFigure.Write(Console.Out, output);
        Console.Error.WriteLine();
        return 0;
    case "migration":
        plot ??= Path.Combine(output, "migration.png");
        if (targets.Count == 0)
        {
            targets.AddRange(["CC1", MigrationFigure.Farthest(spec)]);
        }

        if (Path.GetDirectoryName(plot) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        MigrationFigure.Write(Console.Out, plot, timings, layouts, targets);
        return 0;
    case "migration-host":
        foreach (ProcessLayoutKind layout in layouts)
        {
            MigrationHostFigure.Write(Console.Out, moves, layout);
            Console.Out.WriteLine();
        }

        return 0;
    case "soak" when replay is not null:
        return MigrationSoak.Replay(Console.Out, replay);
    case "soak":
        return MigrationSoak.Run(Console.Out, Console.Error, hostOptions.Count > 0 ? moves : 10_000, seed, soakSample);
    default:
        return Usage(figure.Length == 0 ? "no figure named" : $"unknown figure '{figure}'");
}
}

// A sweep's folder when --sweep-out is not given: sweep-out/NAME for user/sweeps/NAME.json.
static string DefaultSweepOut(string sweepFile) => Path.Combine("sweep-out", Path.GetFileNameWithoutExtension(sweepFile));

static int Usage(string problem)
{
    Console.Error.WriteLine($"Nanvix.Figures: {problem}");
    Console.Error.WriteLine("usage: Nanvix.Figures forkjoin|fig3|ikc|live|migration|migration-host|soak|sweep [options]   (run from the repository root; table to stdout; plots to DIR)");
    Console.Error.WriteLine("  --out DIR                        where plots go (default docs/figures)");
    Console.Error.WriteLine("  --table DIR/sweep.json           sweep: the merged table of nanvix sweep; one plot per metric of its \"plot\" (into DIR, or --out)");
    Console.Error.WriteLine("  --sweep FILE                     forkjoin, migration: make the figure from the whole runs of a sweep file");
    Console.Error.WriteLine("                                   (user/sweeps/forkjoin.json, migration.json), run through nanvix sweep (cached)");
    Console.Error.WriteLine("  --sweep-out DIR                  the sweep's folder (default sweep-out/NAME for NAME.json)");
    Console.Error.WriteLine("  --dcache-kb N                    forkjoin: D$ size, a power of two (default 8)");
    Console.Error.WriteLine("  --timing hardware|nanvix|both    migration: NoC timing modes (default both)");
    Console.Error.WriteLine("  --layout uarea|scattered|both    migration: process layouts (default both)");
    Console.Error.WriteLine("  --to CLUSTER                     migration: a target compute cluster, repeatable (default CC1 and the one farthest from CC0)");
    Console.Error.WriteLine("  --plot PATH.png                  migration: the plot (default DIR/migration.png; an .svg beside it)");
    Console.Error.WriteLine("  --moves N                        migration-host: moves back and forth CC0 <-> CC1 (default 12000); with --layout");
    Console.Error.WriteLine("                                   soak: random moves to ask at least (default 10000)");
    Console.Error.WriteLine("  --seed S                         soak: the random seed (default 1)");
    Console.Error.WriteLine("  --sample NAME                    soak: only this sample of tests/Shared/Stress");
    Console.Error.WriteLine("  --replay 'SCENARIO'              soak: run one scenario (the replay line of a reproducer) and judge it");
    return 2;
}
