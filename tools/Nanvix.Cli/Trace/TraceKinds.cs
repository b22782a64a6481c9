namespace Nanvix.Cli.Trace;

/// <summary>The kinds of events a trace holds (<c>--trace-filter</c>).</summary>
[Flags]
public enum TraceKinds
{
    None = 0,

    /// <summary>Which thread each core runs, quantum by quantum, and the traps that killed one.</summary>
    Quanta = 1,

    /// <summary>Kernel calls, as slices after the quantum that made them, with their number.</summary>
    Calls = 2,

    /// <summary>Every NoC transfer, on its source and its destination, with a flow between them.</summary>
    Noc = 4,

    /// <summary>Every move: the downtime with freeze, transfer and restore inside, on both clusters, with a flow.</summary>
    Migrations = 8,

    /// <summary>Per core: cycles of each quantum, and its cache misses when the model is on.</summary>
    Counters = 16,

    All = Quanta | Calls | Noc | Migrations | Counters,
}

/// <summary>Reading <c>--trace-filter</c>: kinds separated by commas.</summary>
public static class TraceFilter
{
    public static readonly string[] Names = ["quanta", "calls", "noc", "migrations", "counters"];

    /// <summary>The kinds <paramref name="text"/> names; false with the problem when a name is not a kind.</summary>
    public static bool TryParse(string text, out TraceKinds kinds, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        kinds = TraceKinds.None;
        foreach (string word in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int index = Array.IndexOf(Names, word.ToLowerInvariant());
            if (index < 0)
            {
                problem = $"'{word}' is not a kind of event (kinds: {string.Join(", ", Names)})";
                return false;
            }

            kinds |= (TraceKinds)(1 << index);
        }

        problem = null;
        return true;
    }
}
