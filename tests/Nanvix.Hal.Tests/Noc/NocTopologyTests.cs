using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

public sealed class NocTopologyTests
{
    private static readonly NocTopology Torus = Mppa256.Spec().Noc.Topology;

    [Theory]
    [InlineData(CC0, CC1, 1)]
    [InlineData(CC0, CC2, 2)]
    [InlineData(CC0, CC3, 1)]
    [InlineData(CC0, CC4, 1)]
    [InlineData(CC0, CC10, 4)]
    [InlineData(CC0, 23, 2)]
    [InlineData(CC0, CC0, 0)]
    public void Torus_routes_take_the_shorter_way_round(int from, int to, int hops)
    {
        Assert.Equal(hops, Torus.Hops(from, to));
    }

    [Fact]
    public void Torus_hops_between_compute_clusters_are_symmetric()
    {
        for (int a = CC0; a < Torus.NodeCount; a++)
        {
            for (int b = CC0; b < Torus.NodeCount; b++)
            {
                Assert.Equal(Torus.Hops(a, b), Torus.Hops(b, a));
            }
        }
    }

    [Fact]
    public void I_o_nodes_reach_the_torus_through_an_edge_link()
    {
        Assert.Equal(1, Torus.Hops(IO0, CC0));
        Assert.Equal(Torus.Hops(IO0, CC1) + 0, Torus.Hops(CC1, IO0));
        Assert.Equal(2, Torus.Hops(IO0, CC1));
    }

    [Fact]
    public void A_route_lists_distinct_links_one_per_hop()
    {
        Span<int> links = stackalloc int[Torus.MaxRouteLength];
        int count = Torus.Route(IO0, CC10, links);

        Assert.Equal(Torus.Hops(IO0, CC10), count);
        for (int i = 0; i < count; i++)
        {
            Assert.InRange(links[i], 0, Torus.LinkCount - 1);
            for (int j = 0; j < i; j++)
            {
                Assert.NotEqual(links[j], links[i]);
            }
        }
    }

    [Fact]
    public void Mesh_routes_do_not_wrap()
    {
        // 9 compute clusters fill a 3x3 grid; node 0 is IO0, CC0..CC8 are nodes 1..9.
        NocTopology mesh = SmallManycore.Spec(new SmallManycoreOptions { ComputeClusters = 9 }).Noc.Topology;
        NocTopology torus = SmallManycore.Spec(new SmallManycoreOptions { ComputeClusters = 9, WrapAround = true }).Noc.Topology;

        Assert.False(mesh.WrapAround);
        Assert.Equal(2, mesh.Hops(1, 3));
        Assert.Equal(1, torus.Hops(1, 3));
        Assert.Equal(4, mesh.Hops(1, 9));
        Assert.Equal(2, torus.Hops(1, 9));
        Assert.Equal(mesh.Hops(3, 7), mesh.Hops(7, 3));
    }

    [Fact]
    public void Small_manycore_noc_moves_messages_too()
    {
        using var rig = new NocRig(NocTimingMode.Hardware, SmallManycore.Spec());
        using IMailboxInput input = rig.Noc.CreateMailbox(1);
        using IMailboxOutput output = rig.Noc.OpenMailbox(4, 1);
        SmallManycoreOptions o = new();

        int id = output.Write([9]);
        rig.Scheduler.RunUntilIdle();

        Assert.True(input.TryRead(new byte[o.MailboxPayloadBytes], out MailboxMessage message));
        Assert.Equal(4, message.Source);
        ulong expected = (ulong)(2 * o.HopLatencyCycles) + (ulong)((o.MailboxPayloadBytes + o.PacketHeaderBytes + o.LinkBytesPerCycle - 1) / o.LinkBytesPerCycle);
        Assert.Equal(2, rig.Noc.Transfer(id).Hops);
        Assert.Equal(expected, message.ArrivedAt);
    }
}
