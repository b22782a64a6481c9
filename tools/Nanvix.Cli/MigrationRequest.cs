using System.Globalization;

namespace Nanvix.Cli;

/// <summary>One <c>--migrate CYCLE:CLUSTER</c>: move the program to CLUSTER once its cluster's time reaches CYCLE.</summary>
public readonly record struct MigrationRequest(ulong Cycle, string Cluster)
{
    /// <summary>Reads CYCLE:CLUSTER; false with a reason when it is malformed.</summary>
    public static bool TryParse(string text, IReadOnlyCollection<string> clusters, out MigrationRequest request, out string? problem)
    {
        request = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !ulong.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ulong cycle))
        {
            problem = $"'{text}' is not CYCLE:CLUSTER (for example 200000:CC3)";
            return false;
        }

        string cluster = text[(colon + 1)..];
        string? known = clusters.FirstOrDefault(c => string.Equals(c, cluster, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            problem = $"'{cluster}' is not a compute cluster (compute clusters: {string.Join(", ", clusters)})";
            return false;
        }

        request = new MigrationRequest(cycle, known);
        problem = null;
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Cycle}:{Cluster}");
}
