using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// The IKC descriptor table (<see cref="IkcTable{TLayout}"/>) alone over kernel data, under each layout: what every
/// layout shares (the kind families, iteration, finding a descriptor by its owner's number, the lowest free number);
/// the derived classes test where entries come from and where what a process leaves behind goes.
/// </summary>
public abstract class DescriptorTableTests<TLayout> : IDisposable
    where TLayout : struct, IProcessLayout
{
    protected const int Processes = KernelConstants.MaxProcesses;
    protected const int PerProcess = KernelConstants.IkcDescriptorsPerProcess;
    protected const int NodeEntries = KernelConstants.IkcNodeEntries;

    protected DescriptorTableTests()
    {
        Rig = new KernelDataRig();
        Plan = Rig.Plan<TLayout>();
        Table = new IkcTable<TLayout>(Rig.Kernel, Plan);
    }

    internal KernelDataRig Rig { get; }

    internal KernelDataPlan Plan { get; }

    internal IkcTable<TLayout> Table { get; }

    [Fact]
    public void The_table_has_every_processs_entries_and_the_nodes_all_free_at_boot()
    {
        Assert.Equal((Processes * PerProcess) + NodeEntries, Table.Count);
        Assert.Equal(Table.Count, Plan.IkcEntries);
        Assert.All(Enumerable.Range(0, Table.Count), id => Assert.True(Table.IsFree(id)));
        Assert.Equal(-1, Table.First<MailboxEntry>());
        Assert.Equal(-1, Table.First<PortalEntry>());
        Assert.Equal(-1, Table.First<SyncEntry>());
    }

    [Fact]
    public void Entry_n_is_128_bytes_of_kernel_data_at_the_layouts_address_for_n_and_every_kinds_view_shares_its_first_words()
    {
        var seen = new HashSet<ulong>();
        for (int id = 0; id < Table.Count; id++)
        {
            ulong address = TLayout.IkcDescriptor(Plan, id);
            Assert.True(Rig.KernelData.Contains(address, IkcEntry.Size));
            Assert.True(address + IkcEntry.Size <= Plan.End);
            Assert.True(seen.Add(address));
            Assert.All(seen, other => Assert.True(other == address || other + IkcEntry.Size <= address || address + IkcEntry.Size <= other));

            Table.At<PortalEntry>(id).OwnerPid = 1000 + id;
            Table.At<SyncEntry>(id).Descriptor = 2000 + id;
            Table.Entry(id).Reserved = id;
            Assert.Equal(1000 + id, Rig.Memory.Read<int>(address + 4));
            Assert.Equal(2000 + id, Table.At<MailboxEntry>(id).Descriptor);
            Assert.Equal(id, Rig.Memory.Read<long>(address + 120));
        }
    }

    [Fact]
    public void Kinds_fall_in_families_of_eight_and_each_kind_iterates_only_its_own_in_entry_order()
    {
        Put(3, (int)MailboxKind.Input, pid: 1, descriptor: 0);
        Put(9, PortalEntry.Output, pid: 1, descriptor: 0);
        Put(20, (int)MailboxKind.Forward, pid: 2, descriptor: 0);
        Put(33, SyncEntry.Input, pid: 1, descriptor: 0);
        Put(Table.Count - 1, PortalEntry.LeftInput, pid: 3, descriptor: 1);

        Assert.Equal([3, 20], Iterate<MailboxEntry>());
        Assert.Equal([9, Table.Count - 1], Iterate<PortalEntry>());
        Assert.Equal([33], Iterate<SyncEntry>());
        Assert.True(Table.Is<MailboxEntry>(20));
        Assert.False(Table.Is<PortalEntry>(3));
        Assert.False(Table.Is<SyncEntry>(9));
        Assert.False(Table.Is<MailboxEntry>(4));
        Assert.Equal(Enumerable.Range(1, 7), Enumerable.Range(1, 7).Where(k => IkcEntry.FamilyOf(k) == IkcEntry.MailboxFamily));
        Assert.Equal(PortalEntry.Input, IkcEntry.KindOf(IkcEntry.PortalFamily, 1));
        Assert.Equal(SyncEntry.Output, IkcEntry.KindOf(IkcEntry.SyncFamily, 2));
    }

    [Fact]
    public void A_descriptor_is_found_by_its_owner_its_number_and_its_kind_and_entries_left_behind_are_not_descriptors()
    {
        Put(5, (int)MailboxKind.Output, pid: 4, descriptor: 2);
        Put(6, (int)MailboxKind.Forward, pid: 4, descriptor: 3);
        Put(7, PortalEntry.Input, pid: 4, descriptor: 2);
        Put(8, PortalEntry.LeftOutput, pid: 4, descriptor: 5);
        Put(Table.Count - 2, SyncEntry.Input, pid: 4, descriptor: 7);

        Assert.Equal(5, Table.Find<MailboxEntry>(4, 2));
        Assert.Equal(7, Table.Find<PortalEntry>(4, 2));
        Assert.Equal(-1, Table.Find<MailboxEntry>(4, 3));
        Assert.Equal(-1, Table.Find<PortalEntry>(4, 5));
        Assert.Equal(-1, Table.Find<SyncEntry>(4, 2));
        Assert.Equal(-1, Table.Find<MailboxEntry>(5, 2));

        // A sync point's relay or forward keeps its owner's number (home and the way are told by number), so it is found.
        Assert.Equal(Table.Count - 2, Table.Find<SyncEntry>(4, 7));
    }

    [Fact]
    public void Pid_0_the_kernel_owns_no_descriptor()
    {
        Put(0, (int)MailboxKind.Input, pid: 0, descriptor: 0);

        Assert.Equal(-1, Table.Find<MailboxEntry>(0, 0));
    }

    [Fact]
    public void A_new_descriptor_takes_the_lowest_number_its_process_does_not_use_for_that_kind()
    {
        Put(1, (int)MailboxKind.Input, pid: 2, descriptor: 0);
        Put(2, (int)MailboxKind.Output, pid: 2, descriptor: 2);
        Put(4, (int)MailboxKind.Input, pid: 3, descriptor: 1);
        Put(5, PortalEntry.Input, pid: 2, descriptor: 1);

        Assert.Equal(1, Table.NewDescriptor<MailboxEntry>(2));
        Put(6, (int)MailboxKind.Output, pid: 2, descriptor: 1);
        Assert.Equal(3, Table.NewDescriptor<MailboxEntry>(2));
        Assert.Equal(0, Table.NewDescriptor<PortalEntry>(2));
        Assert.Equal(0, Table.NewDescriptor<MailboxEntry>(3));

        Table.Entry(1) = default;
        Assert.Equal(0, Table.NewDescriptor<MailboxEntry>(2));
    }

    public void Dispose()
    {
        Rig.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes entry <paramref name="id"/>: its kind, owner and number, the three words every view shares.</summary>
    protected void Put(int id, int kind, int pid, int descriptor) =>
        Table.Entry(id) = new IkcEntry { Kind = kind, OwnerPid = pid, Descriptor = descriptor };

    /// <summary>Fills the entries <paramref name="ids"/> with mailbox inputs of <paramref name="pid"/>, numbered by id.</summary>
    protected void Take(IEnumerable<int> ids, int pid)
    {
        foreach (int id in ids)
        {
            Put(id, (int)MailboxKind.Input, pid, id);
        }
    }

    private List<int> Iterate<T>()
        where T : unmanaged, IIkcDescriptor
    {
        var ids = new List<int>();
        for (int id = Table.First<T>(); id >= 0; id = Table.Next<T>(id))
        {
            ids.Add(id);
        }

        return ids;
    }
}
