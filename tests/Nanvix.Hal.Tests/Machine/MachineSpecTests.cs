using Nanvix.Hal.Machine;

namespace Nanvix.Hal.Tests.Machine;

public sealed class MachineSpecTests
{
    [Fact]
    public void Mppa256_has_2_io_and_16_compute_clusters_with_nanvix_logical_numbers()
    {
        ProcessorSpec spec = Mppa256.Spec();

        Assert.Equal(18, spec.Clusters.Count);
        Assert.Equal(["IO0", "IO1"], spec.Clusters.Take(2).Select(c => c.Name));
        Assert.All(spec.Clusters.Skip(2), (c, i) => Assert.Equal(($"CC{i}", i + 2, ClusterKind.Compute), (c.Name, c.Id, c.Kind)));
        Assert.Equal(400_000_000, spec.FrequencyHz);
    }

    [Fact]
    public void Mppa256_noc_nodes_follow_nanvix_numbering()
    {
        ProcessorSpec spec = Mppa256.Spec();

        Assert.Equal(24, spec.Noc.Topology.NodeCount);
        Assert.Equal([0, 1, 2, 3], spec.Cluster("IO0").NocNodes);
        Assert.Equal([4, 5, 6, 7], spec.Cluster("IO1").NocNodes);
        Assert.Equal([8], spec.Cluster("CC0").NocNodes);
        Assert.Equal([23], spec.Cluster("CC15").NocNodes);
        Assert.Equal("IO1", spec.ClusterOfNode(5).Name);
    }

    [Fact]
    public void Mppa256_cores_16_per_compute_cluster_and_4_per_io_cluster()
    {
        ProcessorSpec spec = Mppa256.Spec();

        Assert.All(spec.Clusters, c => Assert.Equal(c.Kind == ClusterKind.IO ? 4 : 16, c.CoreCount));
    }

    [Fact]
    public void Mppa256_mailbox_message_is_144_bytes()
    {
        Assert.Equal(144, Mppa256.Spec().Noc.MailboxMessageBytes);
    }

    [Fact]
    public void Small_manycore_is_shaped_differently_from_the_mppa256()
    {
        ProcessorSpec small = SmallManycore.Spec();

        Assert.Equal(5, small.Clusters.Count);
        Assert.False(small.Noc.Topology.WrapAround);
        Assert.NotEqual(Mppa256.FrequencyHz, small.FrequencyHz);
    }

    [Fact]
    public void Small_manycore_honours_its_options()
    {
        ProcessorSpec small = SmallManycore.Spec(new SmallManycoreOptions { ComputeClusters = 9, CoresPerComputeCluster = 2, IOClusters = 2 });

        Assert.Equal(11, small.Clusters.Count);
        Assert.Equal(3, small.Noc.Topology.Width);
        Assert.All(small.Clusters.Where(c => c.Kind == ClusterKind.Compute), c => Assert.Equal(2, c.CoreCount));
    }

    [Fact]
    public void Unknown_machine_name_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineCatalog.Get("mppa512"));

        Assert.Contains("mppa512", error.Message);
        Assert.Contains("mppa256", error.Message);
        Assert.Contains("small", error.Message);
    }

    [Fact]
    public void Unknown_cluster_name_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => Mppa256.Spec().Cluster("CC16"));

        Assert.Contains("CC15", error.Message);
    }

    [Theory]
    [InlineData("cc3", "CC3")]
    [InlineData("io1", "IO1")]
    public void Cluster_names_ignore_case(string given, string expected)
    {
        Assert.Equal(expected, Mppa256.Spec().Cluster(given).Name);
    }
}
