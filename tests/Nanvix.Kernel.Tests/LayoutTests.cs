using System.Runtime.CompilerServices;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Tests;

/// <summary>The kernel structures are a contract (sizes and offsets), and both layouts fit the kernel-data region.</summary>
public sealed class LayoutTests
{
    [Fact]
    public void Generated_layout_metadata_matches_the_runtime_layout()
    {
        Assert.Empty(Nanvix.Kernel.Layout.KernelLayouts.Verify());
    }

    [Fact]
    public void Kernel_structure_sizes_are_pinned()
    {
        Assert.Equal(40, Unsafe.SizeOf<ThreadEntry>());
        Assert.Equal(8, Unsafe.SizeOf<JoinCondition>());
        Assert.Equal(4, Unsafe.SizeOf<ReturnValue>());
        Assert.Equal(8, Unsafe.SizeOf<ThreadStacks>());
        Assert.Equal(32, Unsafe.SizeOf<RunQueue>());
        Assert.Equal(16, Unsafe.SizeOf<ThreadControl>());
        Assert.Equal(4, Unsafe.SizeOf<PageTablePointer>());
        Assert.Equal(40, Unsafe.SizeOf<SysboardEntry>());
        Assert.Equal(8, Unsafe.SizeOf<MutexEntry>());
        Assert.Equal(8, Unsafe.SizeOf<SemaphoreEntry>());
        Assert.Equal(4, Unsafe.SizeOf<ConditionEntry>());
        Assert.Equal(UArea.Size, Unsafe.SizeOf<UArea>());
        Assert.Equal(48, Unsafe.SizeOf<ProcessRecord>());
    }

    [Fact]
    public void UArea_field_offsets_are_pinned()
    {
        var area = default(UArea);
        Assert.Equal(UArea.ThreadsOffset, (int)Unsafe.ByteOffset(ref Unsafe.As<UArea, byte>(ref area), ref Unsafe.As<ThreadTable, byte>(ref area.Threads)));
        Assert.Equal(UArea.JoinsOffset, (int)Unsafe.ByteOffset(ref Unsafe.As<UArea, byte>(ref area), ref Unsafe.As<JoinTable, byte>(ref area.Joins)));
        Assert.Equal(UArea.SysboardOffset, (int)Unsafe.ByteOffset(ref Unsafe.As<UArea, byte>(ref area), ref Unsafe.As<Sysboard, byte>(ref area.Sysboard)));
        Assert.Equal(UArea.ConditionsOffset, (int)Unsafe.ByteOffset(ref Unsafe.As<UArea, byte>(ref area), ref Unsafe.As<ConditionTable, byte>(ref area.Conditions)));
    }

    [Fact]
    public void The_UArea_is_about_the_2_KB_of_the_seed_then_the_IKC_descriptors()
    {
        // The seed's state (threads, scheduling, stacks, paging, board, synchronization) is about 2 KB; the IKC part
        // (16 descriptors of 128 bytes) follows on the next cache line.
        Assert.InRange(UArea.IkcOffset, 1800, 2400);
        Assert.Equal(0, UArea.IkcOffset % 64);
        Assert.Equal(UArea.IkcOffset + (16 * IkcEntry.Size), UArea.Size);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void Per_process_state_of_every_process_fits_the_kernel_data_region(ProcessLayoutKind layout)
    {
        using var rig = new KernelRig(layout);
        MemoryRegion data = Mppa256.ComputeMemoryMap()[MemoryRegionNames.KernelData];

        KernelDataPlan plan = rig.Kernel.Plan;

        Assert.True(plan.End <= data.End);
        Assert.All(plan.Placements, p => Assert.True(data.Contains(p.Address, (ulong)p.Size)));
        Assert.All(plan.Placements.Zip(plan.Placements.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Address));
    }

    [Fact]
    public void The_UArea_layout_keeps_each_process_contiguous_and_the_scattered_one_does_not()
    {
        using var uarea = new KernelRig(ProcessLayoutKind.UArea);
        using var scattered = new KernelRig(ProcessLayoutKind.Scattered);

        // One User Area per process, then the node's own IKC entries.
        Assert.Equal(KernelConstants.MaxProcesses + 1, uarea.Kernel.Plan.Placements.Count);
        Assert.All(uarea.Kernel.Plan.Placements.SkipLast(1), p => Assert.Equal(UArea.Size, p.Size));
        Assert.Equal("IKC node entries", uarea.Kernel.Plan.Placements[^1].Name);
        Assert.Equal(12, scattered.Kernel.Plan.Placements.Count);
        Assert.Contains(scattered.Kernel.Plan.Placements, p => p.Name == "IKC descriptors" && p.Count == (KernelConstants.MaxProcesses * 16) + 16);
        Assert.Contains(scattered.Kernel.Plan.Placements, p => p.Name == "thread table" && p.Count == KernelConstants.MaxProcesses * KernelConstants.MaxThreads);
    }
}
