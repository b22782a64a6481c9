using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// The descriptor table under UArea: process slot p takes its descriptors from entries p·16..p·16+15, in its User Area;
/// the last 16 are the node's, for what processes that moved away left here, and a move passes entries between them.
/// </summary>
public sealed class UAreaDescriptorTableTests : DescriptorTableTests<UAreaLayout>
{
    private const int FirstNodeEntry = Processes * PerProcess;

    [Fact]
    public void A_processs_entries_are_the_ikc_part_of_its_user_area_and_the_node_entries_follow_the_user_areas()
    {
        for (int p = 0; p < Processes; p++)
        {
            ulong area = Plan.UAreas + (ulong)(p * UAreaLayout.Stride);
            for (int i = 0; i < PerProcess; i++)
            {
                Assert.Equal(area + UArea.IkcOffset + (ulong)(i * IkcEntry.Size), UAreaLayout.IkcDescriptor(Plan, (p * PerProcess) + i));
            }
        }

        for (int i = 0; i < NodeEntries; i++)
        {
            Assert.Equal(Plan.Ikc + (ulong)(i * IkcEntry.Size), UAreaLayout.IkcDescriptor(Plan, FirstNodeEntry + i));
        }

        Assert.True(Plan.Ikc >= Plan.UAreas + (ulong)(Processes * UAreaLayout.Stride));
    }

    [Fact]
    public void A_slot_takes_free_entries_only_from_its_own_sixteen()
    {
        Assert.All(Enumerable.Range(0, Processes), p => Assert.Equal(p * PerProcess, Table.Free(p)));
        Assert.All(Enumerable.Range(0, Processes), p => Assert.Equal(PerProcess, Table.FreeCount(p)));

        Take(Enumerable.Range(PerProcess, PerProcess - 1), pid: 7);

        Assert.Equal((2 * PerProcess) - 1, Table.Free(1));
        Assert.Equal(1, Table.FreeCount(1));
        Take([(2 * PerProcess) - 1], pid: 7);
        Assert.Equal(-1, Table.Free(1));
        Assert.Equal(0, Table.FreeCount(1));

        // Its neighbours and the node's entries are untouched, and no slot is given a node entry.
        Assert.Equal(0, Table.Free(0));
        Assert.Equal(2 * PerProcess, Table.Free(2));
        Assert.Equal(PerProcess, Table.FreeCount(2));
        Assert.True(Table.HasNodeRoom(NodeEntries));
    }

    [Fact]
    public void Node_room_is_the_free_node_entries()
    {
        Take(Enumerable.Range(FirstNodeEntry, NodeEntries - 2), pid: 9);

        Assert.True(Table.HasNodeRoom(0));
        Assert.True(Table.HasNodeRoom(2));
        Assert.False(Table.HasNodeRoom(3));
    }

    [Fact]
    public void What_a_moving_process_leaves_behind_moves_to_the_first_free_node_entry_and_frees_its_own()
    {
        Take([FirstNodeEntry], pid: 9);
        Put(PerProcess + 3, (int)MailboxKind.Forward, pid: 5, descriptor: 4);
        IkcEntry left = Table.Entry(PerProcess + 3);

        int node = Table.ForNode(PerProcess + 3);

        Assert.Equal(FirstNodeEntry + 1, node);
        Assert.Equal(left, Table.Entry(node));
        Assert.True(Table.IsFree(PerProcess + 3));
        Assert.Equal(node, Table.ForNode(node));
    }

    [Fact]
    public void With_every_node_entry_taken_nothing_is_left_behind_and_the_entry_stays()
    {
        Take(Enumerable.Range(FirstNodeEntry, NodeEntries), pid: 9);
        Put(2, (int)MailboxKind.Forward, pid: 5, descriptor: 4);

        Assert.False(Table.HasNodeRoom(1));
        Assert.Equal(-1, Table.ForNode(2));
        Assert.Equal((int)MailboxKind.Forward, Table.Entry(2).Kind);
    }

    [Fact]
    public void A_process_back_in_a_slot_takes_what_it_left_into_its_user_area_and_frees_the_node_entry()
    {
        Put(FirstNodeEntry + 5, (int)MailboxKind.Forward, pid: 5, descriptor: 4);
        Take([3 * PerProcess], pid: 5);
        IkcEntry left = Table.Entry(FirstNodeEntry + 5);

        int own = Table.ForProcess(FirstNodeEntry + 5, slot: 3);

        Assert.Equal((3 * PerProcess) + 1, own);
        Assert.Equal(left, Table.Entry(own));
        Assert.True(Table.IsFree(FirstNodeEntry + 5));
        Assert.Equal(own, Table.ForProcess(own, slot: 3));
    }

    [Fact]
    public void A_process_back_in_a_full_slot_cannot_take_what_it_left_and_the_node_keeps_it()
    {
        Put(FirstNodeEntry, (int)MailboxKind.Forward, pid: 5, descriptor: 4);
        Take(Enumerable.Range(0, PerProcess), pid: 5);

        Assert.Equal(-1, Table.ForProcess(FirstNodeEntry, slot: 0));
        Assert.Equal((int)MailboxKind.Forward, Table.Entry(FirstNodeEntry).Kind);
    }
}
