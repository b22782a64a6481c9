using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Images;

/// <summary>
/// The source side of a move in the kernel: freezes a process between two quanta and gathers its kernel state (tables,
/// contexts, IKC descriptors) into a <see cref="ProcessSnapshot"/> staged in kernel pages, as it travels; then thaws it
/// (the move was called off) or evicts it (it lives elsewhere now). Gathering is the master core's work, through its D$.
/// </summary>
internal sealed class OutgoingImages<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly string _cluster;
    private readonly ClusterMemory _memory;
    private readonly ProcessTable _processes;
    private readonly KernelState<TLayout> _state;
    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _manager;
    private readonly KernelCores _cores;
    private readonly PageAllocator _kernelPages;
    private readonly IkcLayer<TLayout>? _ikc;
    private readonly EventScheduler? _events;

    /// <summary>Adds the pages a kernel call (number, a0, a1, a2) may touch: the call table's knowledge, which lives above this folder.</summary>
    private readonly Action<uint, uint, uint, uint, HashSet<uint>> _callPages;

    public OutgoingImages(
        string cluster, ClusterMemory memory, ProcessTable processes, KernelState<TLayout> state, ThreadManager<TLayout> threads, ProcessManager<TLayout> manager,
        KernelCores cores, PageAllocator kernelPages, IkcLayer<TLayout>? ikc, EventScheduler? events, Action<uint, uint, uint, uint, HashSet<uint>> callPages)
    {
        _callPages = callPages;
        _cluster = cluster;
        _memory = memory;
        _processes = processes;
        _state = state;
        _threads = threads;
        _manager = manager;
        _cores = cores;
        _kernelPages = kernelPages;
        _ikc = ikc;
        _events = events;
    }

    /// <summary>
    /// Freezes process <paramref name="pid"/> between two quanta for a move to NoC node <paramref name="targetNode"/>:
    /// it is no longer scheduled, what arrives for its mailboxes is held, and its kernel state is gathered into a
    /// staging area of kernel pages, laid out as it travels. Null with the reason when it cannot move now;
    /// <paramref name="retry"/> then says whether it may a little later (a thread inside a NoC operation).
    /// </summary>
    /// <remarks>
    /// After pre-copy rounds, <paramref name="precopied"/> says what the target holds (virtual page → the frame it was
    /// sent from): a page still in that frame and not written since goes as <see cref="PageRoute.Precopied"/>, the others
    /// in the regions; the move was numbered when the rounds began.
    /// </remarks>
    /// <remarks>
    /// A post-copy move (<paramref name="postcopy"/>) sends in the regions the stacks, the pages accessed since the
    /// accessed bits were cleared (<see cref="BeginPostcopy"/>), and every page a parked call or a posted operation will
    /// read or write; the other pages stay here, <see cref="PageRoute.OnDemand"/>, for the target to pull.
    /// </remarks>
    public OutgoingProcess? Freeze(int pid, int targetNode, IReadOnlyDictionary<uint, uint>? precopied, bool postcopy, out string? refusal, out bool retry)
    {
        int slot = _processes.SlotOf(pid);
        if (slot < 0)
        {
            refusal = $"{_cluster} runs no process {pid}";
            retry = false;
            return null;
        }

        _state.Serving = null;
        if (CannotFreeze(slot, pid, targetNode, out retry) is { } why)
        {
            refusal = why;
            return null;
        }

        if (_manager.Space(slot).RemotePages is int remote and > 0)
        {
            // A post-copied process whose pages still come from where it was: it moves on once they are all here.
            refusal = $"process {pid}: {remote} of its pages are still on the cluster it came from (post-copy)";
            retry = true;
            return null;
        }

        var pages = new List<(uint, PagePermissions)>();
        int stackPages = 0;
        uint lowestStack = UserAddressMap.StackTop(KernelConstants.MaxThreads - 1) - KernelConstants.ThreadStackBytes;
        List<(uint Virtual, uint Frame, PagePermissions Permissions, bool Dirty, bool Accessed)> mappings = _manager.Space(slot).MappingsWithBits();
        foreach ((uint va, _, PagePermissions permissions, _, _) in mappings)
        {
            pages.Add((va, permissions));
            stackPages += va >= lowestStack ? 1 : 0;
        }

        // Gathering the per-process state is the kernel's work on the master core, through its D$ like every other
        // kernel access: one contiguous run of lines under the UArea, an entry in each table when Scattered.
        ICore master = _cores.Master;
        ulong stalls = master.Cycles;
        _state.Serving = master;
        _state.Memory.Execute(KernelPath.MigrationFreeze);
        ProcessSnapshot snapshot = GatherTables(slot, pages, stackPages, numbered: precopied is not null);
        _state.Serving = null;
        stalls = master.Cycles - stalls;

        // The IKC state last. Portals first: they may still have to wait for a transfer on the wires.
        ulong now = _events?.Now ?? 0;
        if (_ikc is { } ikc)
        {
            List<PortalImage>? portals = ikc.Portals.Capture(pid, now, out string? unsettledPortal);
            if (portals is null)
            {
                refusal = $"process {pid}: {unsettledPortal}";
                retry = true;
                return null;
            }

            snapshot.Portals.AddRange(portals);

            // From here on, messages for the process are held until it has moved or stays after all.
            snapshot.Mailboxes.AddRange(ikc.Mailboxes.Capture(pid, targetNode));
            snapshot.SyncPoints.AddRange(ikc.SyncPoints.Capture(pid));
        }

        // The descriptors were read where the layout keeps them, through the master core's D$ like the rest.
        ulong ikcStalls = master.Cycles;
        _state.Serving = master;
        ImageAccounting.TouchIkc(_state, snapshot.Mailboxes.Select(m => m.Index), Unsafe.SizeOf<MailboxEntry>(), write: false);
        ImageAccounting.TouchIkc(_state, snapshot.Portals.Select(p => p.Index), Unsafe.SizeOf<PortalEntry>(), write: false);
        ImageAccounting.TouchIkc(_state, snapshot.SyncPoints.Select(p => p.Index), Unsafe.SizeOf<SyncEntry>(), write: false);
        _state.Serving = null;
        stalls += master.Cycles - ikcStalls;
        List<uint> frames = Route(snapshot, mappings, lowestStack, precopied, postcopy, PagesParkedWorkTouches);
        uint[]? staging = StagingPages.Allocate(_kernelPages, snapshot.RegionBytes);
        if (staging is null)
        {
            if (_ikc is { } held)
            {
                held.Mailboxes.StayAfterAll(pid, now);
                held.Portals.Resume(pid, now);
                held.SyncPoints.Resume(pid, now);
            }

            refusal = $"{_cluster}: no kernel pages left to stage the {snapshot.RegionBytes} bytes of kernel state of process {pid}";
            retry = true;
            return null;
        }

        byte[] region = new byte[snapshot.RegionBytes];
        snapshot.Write(region);
        for (int i = 0; i < staging.Length; i++)
        {
            int offset = i * (int)KernelConstants.PageSize;
            region.AsSpan(offset, Math.Min((int)KernelConstants.PageSize, region.Length - offset)).CopyTo(_memory.Bytes(staging[i], (int)KernelConstants.PageSize));
        }

        _processes[slot].State = ProcessState.Frozen;
        _manager.Space(slot).Tracking = false;
        refusal = null;
        return new OutgoingProcess(pid, snapshot.Control.Moves, snapshot, [.. frames], staging)
        {
            GatherStallCycles = stalls,
            TargetNode = targetNode,
            OnDemand = [.. mappings.Where((_, i) => snapshot.RouteOf(i) == PageRoute.OnDemand).Select(m => (m.Virtual, m.Frame))],
        };
    }

    /// <summary>Why process <paramref name="pid"/> cannot move to node <paramref name="targetNode"/> at all (later tries would not change it), or null: checked before pre-copy rounds, which would be spent in vain.</summary>
    public string? WhyNeverNow(int pid, int targetNode)
    {
        int slot = _processes.SlotOf(pid);
        if (slot < 0)
        {
            return $"{_cluster} runs no process {pid}";
        }

        _state.Serving = null;
        return CannotFreeze(slot, pid, targetNode, out bool retry) is { } why && !retry ? why : null;
    }

    /// <summary>Why process <paramref name="pid"/> in <paramref name="slot"/> cannot be frozen for node <paramref name="targetNode"/> now, or null.</summary>
    private string? CannotFreeze(int slot, int pid, int targetNode, out bool retry)
    {
        retry = false;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = _state.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind is not (WaitKind.None or WaitKind.Join or WaitKind.Mutex or WaitKind.Semaphore
                or WaitKind.Condition or WaitKind.Sleep or WaitKind.MailboxRead or WaitKind.MailboxAsync or WaitKind.PortalRead
                or WaitKind.PortalWrite or WaitKind.PortalAsync or WaitKind.SyncWait or WaitKind.Migration))
            {
                retry = true;
                return $"process {pid}: thread {t} is inside a NoC operation ({thread.WaitKind})";
            }
        }

        if (_ikc is not { } ikc)
        {
            return null;
        }

        if (ikc.Portals.CannotMoveTo(pid, targetNode) is { } portalPeer)
        {
            return $"process {pid}: {portalPeer}";
        }

        if (ikc.Mailboxes.Unsettled(pid) is { } unsettled)
        {
            retry = true;
            return $"process {pid}: {unsettled}";
        }

        // What the process leaves behind (a forward per input, a relay or forward per sync point) must find node entries.
        int behind = ikc.NodeEntriesNeeded(pid);
        return ikc.Table.HasNodeRoom(behind) ? null : $"{_cluster}: no room for the {behind} IKC entries process {pid} would leave here";
    }

    /// <summary>Reads the process's table entries and contexts into a snapshot; every try to move gets a new move number.</summary>
    /// <summary>
    /// How each page travels (into <paramref name="snapshot"/>'s routes), and the frames of those that go in the
    /// regions, in order: every page for stop-and-copy; after pre-copy rounds the pages not in the frame they were sent
    /// from or written since; for post-copy the stacks, the pages accessed lately, and those a parked call or a posted
    /// operation will touch.
    /// </summary>
    private static List<uint> Route(
        ProcessSnapshot snapshot, List<(uint Virtual, uint Frame, PagePermissions Permissions, bool Dirty, bool Accessed)> mappings, uint lowestStack,
        IReadOnlyDictionary<uint, uint>? precopied, bool postcopy, Func<ProcessSnapshot, HashSet<uint>> pagesTouched)
    {
        HashSet<uint> needed = postcopy ? pagesTouched(snapshot) : [];
        var routes = new PageRoute[mappings.Count];
        var frames = new List<uint>();
        for (int i = 0; i < mappings.Count; i++)
        {
            (uint va, uint frame, _, bool dirty, bool accessed) = mappings[i];
            routes[i] = precopied is not null && !dirty && precopied.TryGetValue(va, out uint sentFrom) && sentFrom == frame ? PageRoute.Precopied
                : postcopy && !accessed && va < lowestStack && !needed.Contains(va) ? PageRoute.OnDemand
                : PageRoute.Regions;
            if (routes[i] == PageRoute.Regions)
            {
                frames.Add(frame);
            }
        }

        snapshot.Routes = precopied is null && !postcopy ? [] : routes;
        return frames;
    }

    /// <summary>The pages the parked calls of the process's threads and its posted mailbox and portal operations will read or write.</summary>
    private HashSet<uint> PagesParkedWorkTouches(ProcessSnapshot snapshot)
    {
        var pages = new HashSet<uint>();
        for (int t = 0; t < snapshot.Threads.Length; t++)
        {
            if (snapshot.Threads[t].State == ThreadStatus.Blocked)
            {
                RegisterContext context = snapshot.Contexts[t];
                _callPages(context.Get(AbiRegister.A7), context.Get(AbiRegister.A0), context.Get(AbiRegister.A1), context.Get(AbiRegister.A2), pages);
            }
        }

        foreach (PortalImage portal in snapshot.Portals)
        {
            if (portal.Entry.Pending != AsyncOperation.None)
            {
                AddPages(pages, portal.Entry.PendingBuffer, (uint)portal.Entry.PendingSize);
            }
        }

        foreach (MailboxImage mailbox in snapshot.Mailboxes)
        {
            if (mailbox.Entry.Pending != AsyncOperation.None)
            {
                AddPages(pages, mailbox.Entry.PendingBuffer, (uint)mailbox.Entry.PendingSize);
            }
        }

        return pages;
    }

    private static void AddPages(HashSet<uint> pages, uint start, uint length)
    {
        // At most a cluster's memory: a longer buffer cannot be mapped whole, and the operation fails on its own.
        uint first = start & ~(KernelConstants.PageSize - 1);
        uint end = start + Math.Min(Math.Max(length, 1), 2u << 20);
        for (uint page = first; page < end && page >= first; page += KernelConstants.PageSize)
        {
            pages.Add(page);
        }
    }

    /// <summary>
    /// Starts a post-copy move of process <paramref name="pid"/>: the accessed bits of its pages are cleared (and the
    /// cluster's TLBs flushed), so that at the freeze they name the pages it touched meanwhile; false when no such
    /// process runs here.
    /// </summary>
    public bool BeginPostcopy(int pid)
    {
        int slot = _processes.SlotOf(pid);
        if (slot < 0 || _manager.SpaceOrNull(slot) is not { } space)
        {
            return false;
        }

        _state.Serving = _cores.Master;
        space.ClearAccessed();
        _state.Serving = null;
        _cores.FlushTlbs();
        return true;
    }

    private ProcessSnapshot GatherTables(int slot, List<(uint, PagePermissions)> pages, int stackPages, bool numbered)
    {
        var threads = new ThreadEntry[KernelConstants.MaxThreads];
        var joins = new JoinCondition[KernelConstants.MaxThreads];
        var returns = new ReturnValue[KernelConstants.MaxThreads];
        var tops = new uint[KernelConstants.MaxThreads];
        var contexts = new RegisterContext[KernelConstants.MaxThreads];
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            threads[t] = _state.Thread(slot, t);
            joins[t] = _state.Join(slot, t);
            returns[t] = _state.Return(slot, t);
            tops[t] = _state.Stacks(slot, t).UserStackTop;
            if (threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked)
            {
                contexts[t] = _threads.Context(slot, t);
            }
        }

        var mutexes = new MutexEntry[KernelConstants.MaxSyncObjects];
        var semaphores = new SemaphoreEntry[KernelConstants.MaxSyncObjects];
        var conditions = new ConditionEntry[KernelConstants.MaxSyncObjects];
        for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
        {
            mutexes[i] = _state.Mutex(slot, i);
            semaphores[i] = _state.Semaphore(slot, i);
            conditions[i] = _state.Condition(slot, i);
        }

        // A move called off keeps its number used: messages name the move by it. A pre-copy move got its number when its rounds began.
        if (!numbered)
        {
            ++_state.Control(slot, write: true).Moves;
        }

        return new ProcessSnapshot
        {
            Record = _processes[slot],
            Pages = pages,
            Threads = threads,
            Joins = joins,
            Returns = returns,
            UserStackTops = tops,
            Contexts = contexts,
            RunQueue = _state.RunQueue(slot),
            Control = _state.Control(slot),
            Mutexes = mutexes,
            Semaphores = semaphores,
            Conditions = conditions,
            Mailboxes = [],
            Portals = [],
            SyncPoints = [],
            StackPages = stackPages,
        };
    }

    /// <summary>The move of a frozen process was called off: it goes on here, with what its mailboxes held meanwhile.</summary>
    public void Thaw(OutgoingProcess outgoing, ulong now)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        int slot = FrozenSlot(outgoing.Pid);
        StagingPages.Free(_kernelPages, outgoing.Staging);
        _processes[slot].State = ProcessState.Ready;
        _ikc?.StayAfterAll(outgoing.Pid, now);
    }

    /// <summary>
    /// The frozen process lives on another cluster now: frees everything it held here; its inputs become forward
    /// entries that send messages on to its new node.
    /// </summary>
    public void Evict(OutgoingProcess outgoing)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        int slot = FrozenSlot(outgoing.Pid);
        StagingPages.Free(_kernelPages, outgoing.Staging);
        _ikc?.LeaveBehind(outgoing.Pid, outgoing.TargetNode, outgoing.Move);
        _processes[slot].State = ProcessState.Ready;
        _manager.Terminate(slot, 0, diagnostic: null, record: false);
    }

    /// <summary>Takes the frames of <paramref name="pages"/> out of the frozen process's space, so that they outlive it; in the order asked.</summary>
    public uint[] Detach(OutgoingProcess outgoing, IReadOnlyList<uint> pages)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        ArgumentNullException.ThrowIfNull(pages);
        AddressSpace space = _manager.Space(FrozenSlot(outgoing.Pid));
        var frames = new uint[pages.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = space.Detach(pages[i]);
        }

        return frames;
    }

    private int FrozenSlot(int pid)
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (_processes[slot].State == ProcessState.Frozen && _processes[slot].Pid == pid)
            {
                return slot;
            }
        }

        throw new InvalidOperationException($"{_cluster}: kernel bug: process {pid} is not frozen here");
    }
}
