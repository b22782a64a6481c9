using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// The Scattered plan: one table per kind of state, each for every process and on its own cache line, a process's rows
/// of a table together; the board one slot per core, shared by the processes.
/// </summary>
public sealed class ScatteredLayoutPlanTests : LayoutPlanTests<ScatteredLayout>
{
    public static TheoryData<string, string> Tables => new()
    {
        { "thread", "thread table" },
        { "join", "join conditions" },
        { "return", "return values" },
        { "stacks", "stack pointers" },
        { "run queue", "run queues" },
        { "control", "thread control" },
        { "page table", "page-table pointers" },
        { "sysboard", "sysboard" },
        { "mutex", "mutexes" },
        { "semaphore", "semaphores" },
        { "condition", "conditions" },
        { "ikc", "IKC descriptors" },
        { "ikc node", "IKC descriptors" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Each_kind_of_state_lies_in_its_own_table_a_processs_rows_together(string kind, string table)
    {
        Placement placement = Assert.Single(Plan.Placements, p => p.Name == table);
        StateEntry[] entries = [.. Entries(Plan).Where(e => e.Kind == kind)];

        Assert.All(entries, e => Assert.True(placement.Address <= e.Address && e.End <= placement.End, $"{e} outside {table}"));
        if (kind is not ("sysboard" or "ikc node"))
        {
            // Rows of process p follow those of p - 1, in index order.
            int perProcess = entries.Count(e => e.Process == 0);
            Assert.All(entries, e => Assert.Equal(placement.Address + (ulong)(((e.Process * perProcess) + e.Index) * e.Size), e.Address));
        }
    }

    [Fact]
    public void The_board_is_one_slot_per_core_whatever_the_process()
    {
        Assert.All(
            Entries(Plan).Where(e => e.Kind == "sysboard"),
            e => Assert.Equal(ScatteredLayout.Sysboard(Plan, 0, e.Index), e.Address));
        Assert.Equal(KernelConstants.MaxCores, Assert.Single(Plan.Placements, p => p.Name == "sysboard").Count);
    }

    protected override bool Shared(string kind) => kind == "sysboard";

    // The board is the cluster's, not the process's: clearing a process leaves it alone.
    protected override bool Cleared(string kind) => kind is not ("ikc" or "sysboard");
}
