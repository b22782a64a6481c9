using System.Runtime.CompilerServices;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// A layout's plan of the per-process state, built alone from where the kernel starts it (after the process table):
/// every table or User Area on its own cache line inside kernel data, every entry the layout's address methods compute
/// inside the plan and apart from every other, and <see cref="KernelState{TLayout}.Clear"/> clearing one process's
/// entries and nothing else. The derived classes test what makes each layout itself.
/// </summary>
public abstract class LayoutPlanTests<TLayout> : IDisposable
    where TLayout : struct, IProcessLayout
{
    protected LayoutPlanTests()
    {
        Rig = new KernelDataRig();
        Plan = Rig.Plan<TLayout>();
    }

    internal KernelDataRig Rig { get; }

    internal KernelDataPlan Plan { get; }

    [Fact]
    public void The_plan_starts_after_the_process_table_and_places_every_table_on_its_own_cache_line_in_kernel_data()
    {
        Assert.Equal(Rig.StateStart, Plan.Placements[0].Address);
        Assert.True(Rig.StateStart >= Rig.Processes.Address + (ulong)ProcessTable.Size);
        Assert.All(Plan.Placements, p => Assert.Equal(0UL, p.Address % KernelDataRig.CacheLine));
        Assert.All(Plan.Placements, p => Assert.True(Rig.KernelData.Contains(p.Address, (ulong)p.Size), p.Name));
        Assert.All(Plan.Placements.Zip(Plan.Placements.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Address, pair.Second.Name));
        Assert.Equal(0UL, Plan.End % KernelDataRig.CacheLine);
        Assert.True(Plan.End >= Plan.Placements[^1].End);
        Assert.True(Plan.End <= Rig.KernelData.End);
    }

    [Fact]
    public void Every_entry_of_every_process_lies_in_a_placement_and_apart_from_every_other()
    {
        List<StateEntry> entries = [.. Distinct(Entries(Plan))];
        Assert.All(entries, e => Assert.Contains(Plan.Placements, p => p.Address <= e.Address && e.End <= p.End));

        StateEntry[] sorted = [.. entries.OrderBy(e => e.Address)];
        for (int i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i - 1].End <= sorted[i].Address, $"{sorted[i - 1]} overlaps {sorted[i]}");
        }
    }

    [Fact]
    public void Clearing_a_process_zeroes_its_entries_and_no_byte_of_another_process()
    {
        KernelState<TLayout> state = Rig.State<TLayout>();
        int length = checked((int)(Plan.End - Rig.StateStart));
        Rig.Fill(Rig.StateStart, length, 0xA5);
        byte[] before = Rig.Memory.Bytes(Rig.StateStart, length).ToArray();

        state.Clear(1);

        var cleared = new bool[length];
        foreach (StateEntry entry in Entries(Plan))
        {
            if (entry.Process == 1 && Cleared(entry.Kind))
            {
                Assert.All(Rig.Memory.Bytes(entry.Address, entry.Size).ToArray(), b => Assert.Equal(0, b));
                cleared.AsSpan((int)(entry.Address - Rig.StateStart), entry.Size).Fill(true);
            }
        }

        byte[] after = Rig.Memory.Bytes(Rig.StateStart, length).ToArray();
        for (int i = 0; i < length; i++)
        {
            Assert.True(cleared[i] || after[i] == before[i], $"byte 0x{Rig.StateStart + (ulong)i:x} changed by clearing process 1");
        }
    }

    public void Dispose()
    {
        Rig.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>True when every process has the same entries of this kind, at the same addresses (none but the board under Scattered).</summary>
    protected virtual bool Shared(string kind) => false;

    /// <summary>
    /// True when <see cref="KernelState{TLayout}.Clear"/> clears entries of this kind: all but the IKC entries (the IKC
    /// calls free those), the board included under UArea, where each process has its own.
    /// </summary>
    protected virtual bool Cleared(string kind) => kind != "ikc";

    /// <summary>Every entry the layout's address methods give, for every process, kind and index.</summary>
    internal static IEnumerable<StateEntry> Entries(KernelDataPlan plan)
    {
        for (int p = 0; p < plan.IkcProcesses; p++)
        {
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                yield return new("thread", p, t, TLayout.Thread(plan, p, t), Unsafe.SizeOf<ThreadEntry>());
                yield return new("join", p, t, TLayout.Join(plan, p, t), Unsafe.SizeOf<JoinCondition>());
                yield return new("return", p, t, TLayout.Return(plan, p, t), Unsafe.SizeOf<ReturnValue>());
                yield return new("stacks", p, t, TLayout.Stacks(plan, p, t), Unsafe.SizeOf<ThreadStacks>());
            }

            yield return new("run queue", p, 0, TLayout.RunQueue(plan, p), Unsafe.SizeOf<RunQueue>());
            yield return new("control", p, 0, TLayout.Control(plan, p), Unsafe.SizeOf<ThreadControl>());
            yield return new("page table", p, 0, TLayout.PageTable(plan, p), Unsafe.SizeOf<PageTablePointer>());
            for (int c = 0; c < KernelConstants.MaxCores; c++)
            {
                yield return new("sysboard", p, c, TLayout.Sysboard(plan, p, c), Unsafe.SizeOf<SysboardEntry>());
            }

            for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
            {
                yield return new("mutex", p, i, TLayout.Mutex(plan, p, i), Unsafe.SizeOf<MutexEntry>());
                yield return new("semaphore", p, i, TLayout.Semaphore(plan, p, i), Unsafe.SizeOf<SemaphoreEntry>());
                yield return new("condition", p, i, TLayout.Condition(plan, p, i), Unsafe.SizeOf<ConditionEntry>());
            }

            for (int i = 0; i < KernelConstants.IkcDescriptorsPerProcess; i++)
            {
                yield return new("ikc", p, i, TLayout.IkcDescriptor(plan, (p * KernelConstants.IkcDescriptorsPerProcess) + i), IkcEntry.Size);
            }
        }

        for (int i = 0; i < KernelConstants.IkcNodeEntries; i++)
        {
            int id = (plan.IkcProcesses * KernelConstants.IkcDescriptorsPerProcess) + i;
            yield return new("ikc node", -1, i, TLayout.IkcDescriptor(plan, id), IkcEntry.Size);
        }
    }

    /// <summary>The entries, those of a kind the processes share only once (process 0's).</summary>
    private IEnumerable<StateEntry> Distinct(IEnumerable<StateEntry> entries) => entries.Where(e => !Shared(e.Kind) || e.Process == 0);
}
