using System.Globalization;

namespace Nanvix.Cli;

/// <summary>
/// One <c>--migrate CYCLE:CLUSTER[:PID]</c>: move a process to CLUSTER once its cluster's time reaches CYCLE; the
/// process is <see cref="Pid"/>, or without it the program run (the first program of an image).
/// </summary>
public readonly record struct MigrationRequest(ulong Cycle, string Cluster, int? Pid = null)
{
    /// <summary>Reads CYCLE:CLUSTER[:PID]; false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, IReadOnlyCollection<string> clusters, out MigrationRequest request, out string? problem)
    {
        request = default;
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong cycle))
        {
            problem = $"'{text}' is not CYCLE:CLUSTER or CYCLE:CLUSTER:PID (for example 200000:CC3)";
            return false;
        }

        string? known = clusters.FirstOrDefault(c => string.Equals(c, parts[1], StringComparison.OrdinalIgnoreCase));
        if (known is null)
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

        request = new MigrationRequest(cycle, known, pid);
        problem = null;
        return true;
    }

    public override string ToString() => Pid is { } pid
        ? string.Create(CultureInfo.InvariantCulture, $"{Cycle}:{Cluster}:{pid}")
        : string.Create(CultureInfo.InvariantCulture, $"{Cycle}:{Cluster}");
}
