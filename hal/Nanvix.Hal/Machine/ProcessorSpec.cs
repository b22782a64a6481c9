using Nanvix.Hal.Noc;

namespace Nanvix.Hal.Machine;

/// <summary>A whole processor as the hardware defines it: clusters, clock and NoC. Backends build one of these.</summary>
/// <param name="Name">Machine name, as given to <c>--machine</c>.</param>
/// <param name="Description">One line for people.</param>
/// <param name="FrequencyHz">Clock of every core and of the NoC.</param>
/// <param name="Clusters">Clusters in logical order.</param>
/// <param name="Noc">The network between them.</param>
public sealed record ProcessorSpec(string Name, string Description, long FrequencyHz, IReadOnlyList<ClusterSpec> Clusters, NocSpec Noc)
{
    /// <summary>The cluster with the given name (IO0, CC5…), ignoring case.</summary>
    /// <exception cref="ArgumentException">No cluster has that name; the message lists the valid ones.</exception>
    public ClusterSpec Cluster(string name)
    {
        foreach (ClusterSpec cluster in Clusters)
        {
            if (string.Equals(cluster.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return cluster;
            }
        }

        throw new ArgumentException($"{Name} has no cluster '{name}' (clusters: {string.Join(", ", Clusters.Select(c => c.Name))})");
    }

    /// <summary>The same processor with every cluster's cores costing <paramref name="costs"/> (<c>--miss-penalty</c> changes one).</summary>
    public ProcessorSpec WithCosts(Nanvix.Arch.Core.CycleCosts costs) => this with { Clusters = [.. Clusters.Select(c => c with { Costs = costs })] };

    /// <summary>The cluster that owns NoC node <paramref name="node"/>.</summary>
    public ClusterSpec ClusterOfNode(int node)
    {
        Noc.Topology.CheckNode(node);
        return Clusters.First(c => c.NocNodes.Contains(node));
    }
}
