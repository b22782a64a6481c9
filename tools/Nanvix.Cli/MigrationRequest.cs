using System.Globalization;
using Nanvix.Kernel.Migration;

namespace Nanvix.Cli;

/// <summary>
/// One <c>--migrate CYCLE:CLUSTER[:PID][:MODE]</c>: move a process to CLUSTER once its cluster's time reaches CYCLE; the
/// process is <see cref="Pid"/>, or without it the program run (the first program of an image); MODE is how the move
/// copies it: <c>stop</c> (the default), <c>precopy</c> or <c>postcopy</c>.
/// </summary>
public readonly record struct MigrationRequest(ulong Cycle, string Cluster, int? Pid = null, MigrationMode Mode = MigrationMode.Stop)
{
    /// <summary>The modes' names on the command line.</summary>
    public static readonly IReadOnlyList<string> Modes = ["stop", "precopy", "postcopy"];

    /// <summary>Reads CYCLE:CLUSTER[:PID][:MODE]; false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, IReadOnlyCollection<string> clusters, out MigrationRequest request, out string? problem)
    {
        request = default;
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 4 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong cycle))
        {
            problem = $"'{text}' is not CYCLE:CLUSTER[:PID][:MODE] (for example 200000:CC3, 200000:CC3:2 or 200000:CC3:2:precopy)";
            return false;
        }

        MigrationMode mode = MigrationMode.Stop;
        if (parts.Length >= 3 && !char.IsAsciiDigit(parts[^1].FirstOrDefault()))
        {
            int known = IndexOfMode(parts[^1]);
            if (known < 0)
            {
                problem = $"'{parts[^1]}' in '{text}' is not a mode of migration (modes: {string.Join(", ", Modes)})";
                return false;
            }

            mode = (MigrationMode)known;
            parts = parts[..^1];
        }
        else if (parts.Length == 4)
        {
            problem = $"'{parts[3]}' in '{text}' is not a mode of migration (modes: {string.Join(", ", Modes)})";
            return false;
        }

        string? cluster = clusters.FirstOrDefault(c => string.Equals(c, parts[1], StringComparison.OrdinalIgnoreCase));
        if (cluster is null)
        {
            problem = $"'{parts[1]}' is not a compute cluster (compute clusters: {string.Join(", ", clusters)})";
            return false;
        }

        int? pid = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                problem = $"'{parts[2]}' in '{text}' is not a process id (a whole number from 1)";
                return false;
            }

            pid = value;
        }

        request = new MigrationRequest(cycle, cluster, pid, mode);
        problem = null;
        return true;
    }

    /// <summary>The name of <paramref name="mode"/> on the command line.</summary>
    public static string NameOf(MigrationMode mode) => Modes[(int)mode];

    private static int IndexOfMode(string name)
    {
        for (int i = 0; i < Modes.Count; i++)
        {
            if (string.Equals(Modes[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => (Pid is { } pid
        ? string.Create(CultureInfo.InvariantCulture, $"{Cycle}:{Cluster}:{pid}")
        : string.Create(CultureInfo.InvariantCulture, $"{Cycle}:{Cluster}")) + (Mode == MigrationMode.Stop ? "" : $":{NameOf(Mode)}");
}
