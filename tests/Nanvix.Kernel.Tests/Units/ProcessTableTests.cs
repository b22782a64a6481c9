using System.Runtime.CompilerServices;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// <see cref="ProcessTable"/> alone in kernel data (one 48-byte record a slot, between the page bitmaps and the
/// per-process state) and <see cref="ProcessIds"/>, the one sequence of pids every kernel of a processor draws from.
/// </summary>
public sealed class ProcessTableTests
{
    [Fact]
    public void The_table_lies_in_kernel_data_between_the_page_bitmaps_and_the_per_process_state()
    {
        using var rig = new KernelDataRig();

        Assert.Equal(KernelConstants.MaxProcesses * 48, ProcessTable.Size);
        Assert.True(rig.KernelData.Contains(rig.Processes.Address, (ulong)ProcessTable.Size));
        Assert.Equal(0UL, rig.Processes.Address % KernelDataRig.CacheLine);
        Assert.True(rig.Processes.Address >= rig.KernelPagesBitmap + (ulong)Nanvix.Kernel.Mm.PageAllocator.BitmapBytes(rig.KernelPages.PageCount));
        Assert.True(rig.Processes.Address + (ulong)ProcessTable.Size <= rig.StateStart);
    }

    [Fact]
    public void A_new_table_clears_its_records_and_nothing_past_them()
    {
        using var rig = new KernelDataRig();
        ulong address = rig.Processes.Address;
        rig.Fill(address, ProcessTable.Size + 8, 0xEE);

        var table = new ProcessTable(rig.Kernel, address);

        Assert.All(rig.Memory.Bytes(address, ProcessTable.Size).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(0xEEEE_EEEE_EEEE_EEEEUL, rig.Memory.Read<ulong>(address + (ulong)ProcessTable.Size));
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            Assert.Equal(ProcessState.Free, table[slot].State);
            Assert.False(table.IsLive(slot));
        }
    }

    [Fact]
    public void Slot_s_is_the_record_at_its_row_of_the_table_in_cluster_memory()
    {
        using var rig = new KernelDataRig();
        rig.Processes[2].Pid = 77;
        rig.Processes[2].Brk = 0x4_2000;

        ulong row = rig.Processes.Address + (ulong)(2 * Unsafe.SizeOf<ProcessRecord>());
        Assert.Equal(77, rig.Memory.Read<int>(row));
        Assert.Equal(0x4_2000u, rig.Memory.Read<uint>(row + 28));
        Assert.Equal(0, rig.Processes[1].Pid);
        Assert.Equal(0, rig.Processes[3].Pid);
    }

    [Theory]
    [InlineData(ProcessState.Ready, true)]
    [InlineData(ProcessState.Free, false)]
    [InlineData(ProcessState.Exited, false)]
    [InlineData(ProcessState.Frozen, false)]
    [InlineData(ProcessState.Incoming, false)]
    public void Only_a_ready_process_is_live_and_found_by_its_pid(ProcessState state, bool live)
    {
        using var rig = new KernelDataRig();
        rig.Processes[1].Pid = 42;
        rig.Processes[1].State = state;

        Assert.Equal(live, rig.Processes.IsLive(1));
        Assert.Equal(live ? 1 : -1, rig.Processes.SlotOf(42));
    }

    [Fact]
    public void A_pid_is_found_in_the_live_slot_that_holds_it_and_a_stale_copy_elsewhere_is_ignored()
    {
        // A process that moved away and came back: its old slot (Exited) still says its pid.
        using var rig = new KernelDataRig();
        rig.Processes[0].Pid = 5;
        rig.Processes[0].State = ProcessState.Exited;
        rig.Processes[3].Pid = 5;
        rig.Processes[3].State = ProcessState.Ready;
        rig.Processes[1].Pid = 6;
        rig.Processes[1].State = ProcessState.Ready;

        Assert.Equal(3, rig.Processes.SlotOf(5));
        Assert.Equal(1, rig.Processes.SlotOf(6));
        Assert.Equal(-1, rig.Processes.SlotOf(7));
        Assert.Equal(-1, rig.Processes.SlotOf(0));
    }

    [Fact]
    public void Pids_count_up_from_the_first_and_are_never_handed_out_twice()
    {
        var pids = new ProcessIds();

        Assert.Equal(KernelConstants.FirstPid, pids.Next());
        Assert.Equal([2, 3, 4], new[] { pids.Next(), pids.Next(), pids.Next() });
        Assert.Equal(100, new ProcessIds(100).Next());
        Assert.True(KernelConstants.FirstPid > 0, "pid 0 is the kernel's");
    }
}
