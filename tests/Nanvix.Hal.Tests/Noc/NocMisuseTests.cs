using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>Every misuse gives one clear <see cref="NocException"/>.</summary>
public sealed class NocMisuseTests
{
    [Fact]
    public void Bad_node_numbers_are_refused_everywhere()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);

        AssertBadNode(24, () => rig.Noc.CreateMailbox(24));
        AssertBadNode(-1, () => rig.Noc.OpenMailbox(CC0, -1));
        AssertBadNode(99, () => rig.Noc.OpenMailbox(99, CC0));
        AssertBadNode(100, () => rig.Noc.CreatePortal(100));
        AssertBadNode(30, () => rig.Noc.OpenPortal(CC0, 30));
        AssertBadNode(50, () => input.Allow(50, rig.UserBase(CC0), 64));
        AssertBadNode(31, () => rig.Noc.CreateSync(31, [CC0, CC1], SyncMode.AllToOne));
        AssertBadNode(32, () => rig.Noc.OpenSync(CC1, [CC0, CC1, 32], SyncMode.AllToOne));
    }

    [Fact]
    public void Unknown_transfer_id_is_refused()
    {
        using var rig = new NocRig();

        Assert.Throws<NocException>(() => rig.Noc.Transfer(0));
        Assert.Throws<NocException>(() => rig.Noc.Transfer(-1));
    }

    [Fact]
    public void Every_use_of_a_closed_endpoint_is_refused_naming_the_endpoint()
    {
        using var rig = new NocRig();
        IMailboxInput mailbox = rig.Noc.CreateMailbox(CC0);
        IMailboxOutput mailboxOut = rig.Noc.OpenMailbox(CC1, CC0);
        IPortalInput portal = rig.Noc.CreatePortal(CC0);
        IPortalOutput portalOut = rig.Noc.OpenPortal(CC1, CC0);
        ISyncInput sync = rig.Noc.CreateSync(CC0, [CC0, CC1], SyncMode.AllToOne);
        ISyncOutput syncOut = rig.Noc.OpenSync(CC1, [CC0, CC1], SyncMode.AllToOne);
        foreach (INocEndpoint endpoint in (INocEndpoint[])[mailbox, mailboxOut, portal, portalOut, sync, syncOut])
        {
            endpoint.Dispose();
            endpoint.Dispose();
            Assert.True(endpoint.IsClosed);
        }

        AssertClosed("mailbox input of node 8", () => mailbox.TryRead(new byte[128], out _));
        AssertClosed("mailbox input of node 8", () => _ = mailbox.Available);
        AssertClosed("mailbox input of node 8", () => mailbox.Notify(null, 0));
        AssertClosed("mailbox output of node 9", () => mailboxOut.Write([1]));
        AssertClosed("portal input of node 8", () => portal.Allow(CC1, rig.UserBase(CC0), 64));
        AssertClosed("portal input of node 8", () => portal.TryComplete(out _, out _));
        AssertClosed("portal input of node 8", () => _ = portal.IsAllowed);
        AssertClosed("portal output of node 9", () => portalOut.Write(rig.UserBase(CC1), 64));
        AssertClosed("portal output of node 9", () => _ = portalOut.IsBusy);
        AssertClosed("sync input of node 8", () => sync.TryWait());
        AssertClosed("sync output of node 9", () => syncOut.Signal());
    }

    [Fact]
    public void Sync_endpoint_in_the_wrong_role_is_refused()
    {
        using var rig = new NocRig();
        int[] nodes = [CC0, CC1, CC2];

        AssertRole(() => rig.Noc.CreateSync(CC0, nodes, SyncMode.OneToAll));
        AssertRole(() => rig.Noc.OpenSync(CC1, nodes, SyncMode.OneToAll));
        AssertRole(() => rig.Noc.CreateSync(CC1, nodes, SyncMode.AllToOne));
        AssertRole(() => rig.Noc.OpenSync(CC0, nodes, SyncMode.AllToOne));
        AssertRole(() => rig.Noc.CreateSync(CC10, nodes, SyncMode.OneToAll));
        AssertRole(() => rig.Noc.OpenSync(CC10, nodes, SyncMode.AllToOne));
    }

    private static void AssertBadNode(int node, Action action)
    {
        var error = Assert.Throws<NocException>(action);
        Assert.Contains($"NoC node {node} does not exist", error.Message);
    }

    private static void AssertClosed(string endpoint, Action action)
    {
        var error = Assert.Throws<NocException>(action);
        Assert.Equal($"{endpoint} is closed", error.Message);
    }

    private static void AssertRole(Action action)
    {
        var error = Assert.Throws<NocException>(action);
        Assert.Contains("sync point over [8, 9, 10]", error.Message);
    }
}
