using Nanvix.Arch.Cache;

namespace Nanvix.Cli;

/// <summary>
/// The user I$ and D$ misses of a cluster's cores made by one function of a program (<c>--annotate</c>): the misses of
/// the fetches of its instructions (<paramref name="Icache"/>) and of their loads, stores and atomics
/// (<paramref name="Dcache"/>), with the three Cs. The rows of a cluster add up to its cores' user misses.
/// </summary>
public sealed record UserAnnotateReport(string Program, string Function, MissesReport Icache, MissesReport Dcache)
{
    /// <summary>The misses <paramref name="log"/> holds, by program and function, most first (then by name, so the order is fixed).</summary>
    internal static IReadOnlyList<UserAnnotateReport> Of(UserMissLog log, ProgramSymbols symbols)
    {
        var functions = new Dictionary<(string Program, string Function), (MissCounts Icache, MissCounts Dcache)>();
        foreach ((UserMissSite site, MissCounts counts) in log.Entries)
        {
            (string, string) name = symbols.Name(site.Owner, site.Pc);
            functions.TryGetValue(name, out (MissCounts Icache, MissCounts Dcache) sum);
            functions[name] = site.Instruction ? (sum.Icache + counts, sum.Dcache) : (sum.Icache, sum.Dcache + counts);
        }

        return [.. functions
            .Select(f => new UserAnnotateReport(f.Key.Program, f.Key.Function, MissesReport.From(f.Value.Icache), MissesReport.From(f.Value.Dcache)))
            .OrderByDescending(r => r.Icache.Misses + r.Dcache.Misses)
            .ThenBy(r => r.Program, StringComparer.Ordinal)
            .ThenBy(r => r.Function, StringComparer.Ordinal)];
    }
}
