using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;

namespace Nanvix.Kernel.Images;

/// <summary>
/// The source kernel's part of a pre-copy move while its process still runs: it numbers the move, finds the pages the
/// target does not hold as they are now (never sent, sent from another frame, or written since: the Sv32 dirty bit), and
/// clears the dirty bits of the pages a round sends, so that a store after that — by a core's MMU, the kernel's copy
/// out, or a portal read landing — marks the page for the next round. Pages are read by the NoC when a round's transfer
/// lands, after their bits were cleared, so a page whose bit is still clear at the freeze holds what the target got.
/// </summary>
internal sealed class PrecopyPages<TLayout>(ProcessTable processes, KernelState<TLayout> state, ProcessManager<TLayout> manager, KernelCores cores)
    where TLayout : struct, IProcessLayout
{
    /// <summary>
    /// Starts a pre-copy move of process <paramref name="pid"/>: its writes are tracked from now on, and the move gets
    /// its number (every try to move gets one). The number, or -1 when no such process runs here.
    /// </summary>
    public int Begin(int pid)
    {
        int slot = processes.SlotOf(pid);
        if (slot < 0)
        {
            return -1;
        }

        state.Serving = null;
        manager.Space(slot).Tracking = true;
        return ++state.Control(slot, write: true).Moves;
    }

    /// <summary>
    /// The pages of process <paramref name="pid"/> the target does not hold as they are now, given what was sent
    /// (<paramref name="sent"/>: virtual page → the frame it was sent from), in address order; null when the process
    /// has ended. <paramref name="cycles"/> is the kernel's scan of the page tables on the master core (a word a cycle,
    /// plus its D$ stalls).
    /// </summary>
    public List<(uint Virtual, uint Frame)>? Dirty(int pid, IReadOnlyDictionary<uint, uint> sent, out ulong cycles)
    {
        int slot = processes.SlotOf(pid);
        if (slot < 0 || manager.SpaceOrNull(slot) is not { } space)
        {
            cycles = 0;
            return null;
        }

        ICore master = cores.Master;
        ulong stalls = master.Cycles;
        state.Serving = master;
        List<(uint Virtual, uint Frame, PagePermissions Permissions, bool Dirty, bool Accessed)> mappings = space.MappingsWithBits();
        state.Serving = null;
        var pages = new List<(uint, uint)>();
        foreach ((uint va, uint frame, _, bool dirty, _) in mappings)
        {
            if (dirty || !sent.TryGetValue(va, out uint from) || from != frame)
            {
                pages.Add((va, frame));
            }
        }

        cycles = ((ulong)mappings.Count * KernelConstants.CopyCyclesPerWord) + (master.Cycles - stalls);
        return pages;
    }

    /// <summary>Clears the dirty bits of <paramref name="pages"/> of process <paramref name="pid"/>, which a round sends now, and flushes the cluster's TLBs.</summary>
    public void Clean(int pid, List<(uint Virtual, uint Frame)> pages)
    {
        int slot = processes.SlotOf(pid);
        if (slot < 0 || manager.SpaceOrNull(slot) is not { } space)
        {
            return;
        }

        state.Serving = cores.Master;
        foreach ((uint va, _) in pages)
        {
            space.Clean(va);
        }

        state.Serving = null;
        cores.FlushTlbs();
    }

    /// <summary>The pre-copy of process <paramref name="pid"/> is over (frozen, or called off): its writes are no longer tracked.</summary>
    public void End(int pid)
    {
        int slot = processes.SlotOf(pid);
        if (slot >= 0 && manager.SpaceOrNull(slot) is { } space)
        {
            space.Tracking = false;
        }
    }
}
