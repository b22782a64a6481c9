using Nanvix.Hal.Memory;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>
/// The one IKC descriptor table, where the layout puts it: under UArea a process's descriptors are in its User Area and
/// what it leaves behind when it moves is a node entry; under Scattered all are in one global table. Read from cluster
/// memory, as <c>nanvix layout</c> names the places.
/// </summary>
public sealed class IkcTableTests
{
    private const int MailboxInput = 1;
    private const int MailboxForward = 3;

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void A_moved_receiver_takes_its_mailbox_in_its_user_area_and_leaves_a_node_entry_behind(ProcessLayoutKind layout)
    {
        string plain = Unmoved(layout);
        using var rig = new MigrationRig(layout);
        int receiver = rig.Spawn("CC0", "fifo", "receive", "1", "40");
        rig.Spawn("CC1", "fifo", "send", $"{SystemRig.Node("CC0")}", "40");
        IClusterKernel source = rig.System.Kernel(rig.Processor.Cluster("CC0"));
        IClusterKernel target = rig.System.Kernel(rig.Processor.Cluster("CC3"));
        rig.System.RunUntil(() => Places(source, receiver, MailboxInput).Count > 0);

        string home = layout == ProcessLayoutKind.UArea ? "uarea[0].Ikc" : "IKC descriptors";
        Assert.Equal([home], Places(source, receiver, MailboxInput));

        MigrationTicket ticket = rig.Move(receiver, "CC3");
        rig.System.RunUntil(() => ticket.State != MigrationState.Pending && ticket.State != MigrationState.Moving);
        Assert.Equal(MigrationState.Done, ticket.State);

        // The source keeps a forward for the port, among its node entries under UArea; nothing of the process is left
        // in a User Area there. The target has the input in the User Area of the slot the process took.
        Assert.Equal([layout == ProcessLayoutKind.UArea ? "IKC node entries" : "IKC descriptors"], Places(source, receiver, MailboxForward));
        Assert.Empty(Places(source, receiver, MailboxInput));
        Assert.Equal([home], Places(target, receiver, MailboxInput));

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        Assert.Equal(plain, output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }

    [Fact]
    public void Under_scattered_the_entries_of_processes_interleave_in_one_table_and_under_uarea_they_do_not()
    {
        foreach (ProcessLayoutKind layout in (ProcessLayoutKind[])[ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered])
        {
            using var rig = new MigrationRig(layout);
            int first = rig.Spawn("CC0", "fifo", "receive", "1", "1");
            int second = rig.Spawn("CC0", "fifo", "send", $"{SystemRig.Node("CC0")}", "1");
            IClusterKernel kernel = rig.System.Kernel(rig.Processor.Cluster("CC0"));
            rig.System.RunUntil(() => Places(kernel, first, MailboxInput).Count > 0 && Places(kernel, second, 2).Count > 0);

            if (layout == ProcessLayoutKind.UArea)
            {
                Assert.Equal(["uarea[0].Ikc"], Places(kernel, first, MailboxInput));
                Assert.Equal(["uarea[1].Ikc"], Places(kernel, second, 2));
            }
            else
            {
                // Both in the first entries of the one table, next to each other.
                Assert.Equal([0, 1], new[] { Index(kernel, first, MailboxInput), Index(kernel, second, 2) }.Order());
            }

            rig.Finish();
        }
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea, "busy")]
    [InlineData(ProcessLayoutKind.Scattered, "moved")]
    public void A_move_that_would_leave_more_than_the_node_entries_hold_is_refused_and_the_process_goes_on(ProcessLayoutKind layout, string answer)
    {
        // "fill" leaves a forward and 14 sync relays on CC0 when it moves to CC3; under UArea they take 15 of CC0's 16
        // node entries, so "full" cannot leave its input's forward and its sync point's relay there: migrate() answers
        // -EBUSY and it goes on in place. Under Scattered what a process leaves stays in its own entries: no room needed.
        using var rig = new MigrationRig(layout);
        int fill = rig.Spawn("CC0", "ikcmove", "fill", $"{SystemRig.Node("CC0")}", $"{SystemRig.Node("CC3")}");
        int full = rig.Spawn("CC0", "ikcmove", "full", $"{SystemRig.Node("CC3")}", $"{SystemRig.Node("CC5")}");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Contains("ikcmove: fill: input ok, output ok, 14 sync points", output);
        Assert.Contains("ikcmove: fill: migrate moved", output);
        Assert.Contains($"ikcmove: full: migrate {answer}", output);
        Assert.Contains("ikcmove: fill done", output);
        Assert.Contains("ikcmove: full done", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
        MigrationTicket refused = rig.System.Tickets.Single(t => t.Pid == full);
        if (layout == ProcessLayoutKind.UArea)
        {
            Assert.Equal(MigrationState.Refused, refused.State);
            Assert.Contains($"no room for the 2 IKC entries process {full} would leave here", refused.Refusal);
        }
        else
        {
            Assert.Equal(MigrationState.Done, refused.State);
        }

        Assert.Equal(MigrationState.Done, rig.System.Tickets.Single(t => t.Pid == fill).State);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void A_process_that_arrives_where_a_portal_peer_left_cannot_pair_with_that_peers_node(ProcessLayoutKind layout)
    {
        // pong leaves CC1 (node 9) for CC5; until ping's kernel follows it, the hardware would match ping's writes to
        // node 9 with any read there that allows node 8. So while pong lives, a newcomer on node 9 may not allow node 8.
        using var rig = new MigrationRig(layout);
        rig.Spawn("CC0", "portal", "ping", $"{SystemRig.Node("CC1")}", "20", "5000");
        int pong = rig.Spawn("CC1", "portal", "pong", $"{SystemRig.Node("CC0")}", "20", "5000");
        rig.Step(40);
        MigrationTicket ticket = rig.Move(pong, "CC5");
        rig.System.RunUntil(() => ticket.State is MigrationState.Done or MigrationState.Refused);
        Assert.Equal(MigrationState.Done, ticket.State);
        IClusterKernel old = rig.System.Kernel(rig.Processor.Cluster("CC1"));
        old.Spawn(KernelRig.Program("ikcmove"), ["ikcmove", "aread", $"{SystemRig.Node("CC0")}", $"{SystemRig.Node("CC1")}"]);
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Contains("ikcmove: aread: create ok, allow -16", output);
        Assert.Contains("portal: 5000 bytes, 20 round trips ok", output);
        Assert.Contains("portal: echoed 20 writes of 5000 bytes", output);
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));
    }

    private static string Unmoved(ProcessLayoutKind layout)
    {
        using var rig = new MigrationRig(layout);
        rig.Spawn("CC0", "fifo", "receive", "1", "40");
        rig.Spawn("CC1", "fifo", "send", $"{SystemRig.Node("CC0")}", "40");
        return rig.Finish().Output;
    }

    /// <summary>The names of the IKC placements where <paramref name="pid"/> has an entry of mailbox kind <paramref name="kind"/>.</summary>
    private static List<string> Places(IClusterKernel kernel, int pid, int kind)
    {
        ClusterMemory memory = kernel.Cluster.Memory;
        var places = new List<string>();
        foreach (Placement placement in kernel.IkcTables)
        {
            for (int i = 0; i < placement.Count; i++)
            {
                IkcEntry entry = memory.At<IkcEntry>(placement.Address + (ulong)(i * IkcEntry.Size));
                if (entry.Kind == kind && entry.OwnerPid == pid)
                {
                    places.Add(placement.Name);
                }
            }
        }

        return places;
    }

    /// <summary>The index in the Scattered table of the entry of <paramref name="pid"/> of mailbox kind <paramref name="kind"/>.</summary>
    private static int Index(IClusterKernel kernel, int pid, int kind)
    {
        Placement table = kernel.IkcTables.Single();
        for (int i = 0; i < table.Count; i++)
        {
            IkcEntry entry = kernel.Cluster.Memory.At<IkcEntry>(table.Address + (ulong)(i * IkcEntry.Size));
            if (entry.Kind == kind && entry.OwnerPid == pid)
            {
                return i;
            }
        }

        return -1;
    }
}
