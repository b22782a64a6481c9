using System.Buffers.Binary;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// The entries of the calls on the process as a whole, as Linux RV32 answers them: exit_group, brk, and those served on
/// the calling core (getpid, gettid, thread_self, node_self, clock_gettime64 for CLOCK_REALTIME and CLOCK_MONOTONIC
/// with EINVAL for another clock and EFAULT for a bad pointer, and the yields, which only end the quantum).
/// </summary>
[KernelHotPath]
internal sealed class KernelProcess<TLayout>(ProcessManager<TLayout> procs, KernelCores cores, long frequencyHz, int node)
    where TLayout : struct, IProcessLayout
{
    public CallResult ExitGroup(int slot, uint status)
    {
        procs.Terminate(slot, (int)(status & 0xFF), diagnostic: null);
        return CallResult.Gone;
    }

    /// <summary>Linux brk: the new break on success, the old one when the request cannot be met (<see cref="ProgramBreak"/>).</summary>
    public CallResult Brk(int slot, uint requested)
    {
        ref ProcessRecord process = ref procs.Table[slot];
        process.Brk = ProgramBreak.Move(procs.Space(slot), process.BrkStart, process.Brk, requested, out bool flushTlbs);
        if (flushTlbs)
        {
            cores.FlushTlbs();
        }

        return CallResult.Done((int)process.Brk);
    }

    /// <summary>The calls answered on the calling core: ids, the clock, yields.</summary>
    public CallResult Identity(uint number, int slot, int tid, uint a0, uint a1, ICore server) => number switch
    {
        K.GetPid => CallResult.Done(procs.Table[slot].Pid),
        K.GetTid or K.ThreadSelf => CallResult.Done(tid),
        K.ClockGettime64 => CallResult.Done(ClockGettime(slot, (int)a0, a1, server)),
        K.NodeSelf => CallResult.Done(node),
        _ => CallResult.Done(0),
    };

    private int ClockGettime(int slot, int clock, uint timespec, ICore server)
    {
        if (clock is not (0 or 1))
        {
            return -Errno.EINVAL;
        }

        // Simulated time of the calling core since boot: struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; }.
        ulong cycles = server.Cycles;
        ulong frequency = (ulong)frequencyHz;
        Span<byte> value = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(value, (long)(cycles / frequency));
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], (long)((cycles % frequency) * 1_000_000_000UL / frequency));
        return procs.User(slot).CopyTo(timespec, value) ? 0 : -Errno.EFAULT;
    }
}
