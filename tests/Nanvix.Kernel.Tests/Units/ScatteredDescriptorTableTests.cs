using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// The descriptor table under Scattered: one global table, every process taking the first free entries among the
/// others', and what a process leaves behind when it moves staying where it is.
/// </summary>
public sealed class ScatteredDescriptorTableTests : DescriptorTableTests<ScatteredLayout>
{
    [Fact]
    public void The_entries_are_one_table_of_consecutive_entries()
    {
        Assert.All(Enumerable.Range(0, Table.Count), id => Assert.Equal(Plan.Ikc + (ulong)(id * IkcEntry.Size), ScatteredLayout.IkcDescriptor(Plan, id)));
        Assert.Contains(Plan.Placements, p => p.Name == "IKC descriptors" && p.Address == Plan.Ikc && p.Count == Table.Count);
    }

    [Fact]
    public void Every_slot_takes_the_first_free_entry_of_the_whole_table_and_they_share_its_free_count()
    {
        Take([0, 1, 3], pid: 2);

        Assert.All(Enumerable.Range(0, Processes), p => Assert.Equal(2, Table.Free(p)));
        Assert.All(Enumerable.Range(0, Processes), p => Assert.Equal(Table.Count - 3, Table.FreeCount(p)));

        Take(Enumerable.Range(0, Table.Count), pid: 3);
        Assert.Equal(-1, Table.Free(1));
        Assert.Equal(0, Table.FreeCount(1));
    }

    [Fact]
    public void What_a_process_leaves_behind_stays_in_its_entry_and_needs_no_room()
    {
        Take(Enumerable.Range(0, Table.Count), pid: 3);
        Put(40, (int)MailboxKind.Forward, pid: 5, descriptor: 4);
        IkcEntry left = Table.Entry(40);

        Assert.True(Table.HasNodeRoom(Table.Count));
        Assert.Equal(40, Table.ForNode(40));
        Assert.Equal(40, Table.ForProcess(40, slot: 2));
        Assert.Equal(left, Table.Entry(40));
    }
}
