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

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The kernel's side of a move, on both ends. On the source it freezes a process between two quanta and gathers its
/// kernel state (tables, contexts, IKC descriptors) into a <see cref="ProcessSnapshot"/> staged in kernel pages, as
/// it travels; then thaws it (the move was called off) or evicts it (it lives elsewhere now). On the target it reserves
/// a slot and a staging area, maps the pages and kernel stacks once the state has arrived, and restores the state
/// into this kernel's tables. Gathering and restoring are the master core's work, through its D$.
/// </summary>
internal sealed class ProcessImages<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly string _cluster;
    private readonly ClusterMemory _memory;
    private readonly ProcessTable _processes;
    private readonly KernelState<TLayout> _state;
    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _manager;
    private readonly Scheduler<TLayout> _scheduler;
    private readonly KernelCores _cores;
    private readonly PageAllocator _frames;
    private readonly PageAllocator _kernelPages;
    private readonly ICluster _hardware;
    private readonly IkcLayer<TLayout>? _ikc;
    private readonly EventScheduler? _events;

    public ProcessImages(
        string cluster, ClusterMemory memory, ProcessTable processes, KernelState<TLayout> state, ThreadManager<TLayout> threads, ProcessManager<TLayout> manager,
        Scheduler<TLayout> scheduler, KernelCores cores, PageAllocator frames, PageAllocator kernelPages, ICluster hardware, IkcLayer<TLayout>? ikc, EventScheduler? events)
    {
        _cluster = cluster;
        _memory = memory;
        _processes = processes;
        _state = state;
        _threads = threads;
        _manager = manager;
        _scheduler = scheduler;
        _cores = cores;
        _frames = frames;
        _kernelPages = kernelPages;
        _hardware = hardware;
        _ikc = ikc;
        _events = events;
    }

    /// <summary>
    /// Freezes process <paramref name="pid"/> between two quanta for a move to NoC node <paramref name="targetNode"/>:
    /// it is no longer scheduled, what arrives for its mailboxes is held, and its kernel state is gathered into a
    /// staging area of kernel pages, laid out as it travels. Null with the reason when it cannot move now;
    /// <paramref name="retry"/> then says whether it may a little later (a thread inside a NoC operation).
    /// </summary>
    public OutgoingProcess? Freeze(int pid, int targetNode, out string? refusal, out bool retry)
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

        var pages = new List<(uint, PagePermissions)>();
        var frames = new List<uint>();
        int stackPages = 0;
        uint lowestStack = ThreadCalls<TLayout>.StackTop(KernelConstants.MaxThreads - 1) - KernelConstants.ThreadStackBytes;
        foreach ((uint va, uint frame, PagePermissions permissions) in _manager.Space(slot).Mappings())
        {
            pages.Add((va, permissions));
            frames.Add(frame);
            stackPages += va >= lowestStack ? 1 : 0;
        }

        // Gathering the per-process state is the kernel's work on the master core, through its D$ like every other
        // kernel access: one contiguous run of lines under the UArea, an entry in each table when Scattered.
        ICore master = _cores.Master;
        ulong stalls = master.Cycles;
        _state.Serving = master;
        ProcessSnapshot snapshot = GatherTables(slot, pages, stackPages);
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
        TouchIkc(snapshot.Mailboxes.Select(m => m.Index), Unsafe.SizeOf<MailboxEntry>(), write: false);
        TouchIkc(snapshot.Portals.Select(p => p.Index), Unsafe.SizeOf<PortalEntry>(), write: false);
        TouchIkc(snapshot.SyncPoints.Select(p => p.Index), Unsafe.SizeOf<SyncEntry>(), write: false);
        _state.Serving = null;
        stalls += master.Cycles - ikcStalls;
        uint[]? staging = AllocateStaging(snapshot.RegionBytes);
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
        refusal = null;
        return new OutgoingProcess(pid, snapshot.Control.Moves, snapshot, [.. frames], staging) { GatherStallCycles = stalls, TargetNode = targetNode };
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
    private ProcessSnapshot GatherTables(int slot, List<(uint, PagePermissions)> pages, int stackPages)
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

        // A move called off keeps its number used: messages name the move by it.
        ++_state.Control(slot, write: true).Moves;
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
        FreeStaging(outgoing.Staging);
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
        FreeStaging(outgoing.Staging);
        _ikc?.LeaveBehind(outgoing.Pid, outgoing.TargetNode, outgoing.Move);
        _processes[slot].State = ProcessState.Ready;
        _manager.Terminate(slot, 0, diagnostic: null, record: false);
    }

    /// <summary>
    /// Makes room for a process that is moving here, announced with <paramref name="regionBytes"/> bytes of kernel
    /// state and <paramref name="pageCount"/> user pages: a process slot and a staging area for the kernel state.
    /// Null with the reason when this cluster cannot take it.
    /// </summary>
    public IncomingProcess? Reserve(int pid, int regionBytes, int pageCount, out string? refusal)
    {
        int slot = _manager.FindFreeSlot();
        if (slot < 0)
        {
            refusal = $"{_cluster}: all {KernelConstants.MaxProcesses} process slots are taken";
            return null;
        }

        // The frames of the pages and of their page tables (one leaf table per 4 MB, the root); kernel stacks come later.
        int tables = 2 + (pageCount / 1024);
        if (_frames.FreeCount < pageCount || _kernelPages.FreeCount < tables + ((regionBytes + (int)KernelConstants.PageSize - 1) / (int)KernelConstants.PageSize))
        {
            // Refusals travel back in a migration message, which holds 94 bytes of text: keep them short.
            refusal = $"{_cluster}: no memory for process {pid}: {pageCount} user pages ({_frames.FreeCount} free), kernel pages ({_kernelPages.FreeCount} free)";
            return null;
        }

        uint[] staging = AllocateStaging(regionBytes)!;
        ref ProcessRecord record = ref _processes[slot];
        record = default;
        record.Pid = pid;
        record.State = ProcessState.Incoming;
        refusal = null;
        return new IncomingProcess(pid, slot, staging, regionBytes);
    }

    /// <summary>
    /// The kernel state of an incoming process has arrived in its staging area: read it, map its pages on frames of this
    /// cluster (returned in the order of its page list, for the page contents to land in), take kernel stacks for its
    /// threads. False with the reason (and nothing kept but the reservation) when it does not fit after all.
    /// </summary>
    public bool Map(IncomingProcess incoming, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        byte[] region = new byte[incoming.RegionBytes];
        for (int i = 0; i < incoming.Staging.Length; i++)
        {
            int offset = i * (int)KernelConstants.PageSize;
            int length = Math.Min((int)KernelConstants.PageSize, region.Length - offset);
            _memory.Bytes(incoming.Staging[i], length).CopyTo(region.AsSpan(offset));
        }

        try
        {
            incoming.Snapshot = ProcessSnapshot.Read(region);
        }
        catch (KernelException e)
        {
            refusal = $"{_cluster}: {e.Message}";
            return false;
        }

        ProcessSnapshot snapshot = incoming.Snapshot;
        if (snapshot.Record.Pid != incoming.Pid)
        {
            refusal = $"{_cluster}: the kernel state that arrived is of process {snapshot.Record.Pid}, not {incoming.Pid}";
            return false;
        }

        if ((_ikc?.Mailboxes.CannotAdopt(snapshot.Mailboxes) ?? _ikc?.Portals.CannotAdopt(snapshot.Record.Pid, incoming.Source, snapshot.Portals)) is { } ikc)
        {
            refusal = $"{_cluster}: {ikc}";
            return false;
        }

        if (_ikc is not null && IkcRoomShort(incoming.Slot, snapshot) is { } shortOf)
        {
            refusal = $"{_cluster}: {shortOf}";
            return false;
        }

        AddressSpace? space = AddressSpace.Create(_memory, _kernelPages, _frames);
        if (space is null)
        {
            refusal = $"{_cluster}: no kernel page left for a page table";
            return false;
        }

        var frames = new uint[snapshot.Pages.Count];
        var stacks = new uint[KernelConstants.MaxThreads];
        for (int i = 0; i < snapshot.Pages.Count; i++)
        {
            (uint va, PagePermissions permissions) = snapshot.Pages[i];
            if (space.MapNew(va, permissions, zero: false) != MapResult.Mapped || !space.TryTranslate(va, PagePermissions.None, out frames[i]))
            {
                space.Destroy();
                refusal = $"{_cluster}: not enough user memory for process {incoming.Pid}";
                return false;
            }
        }

        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            if (snapshot.Threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked && !_kernelPages.TryAllocate(out stacks[t]))
            {
                foreach (uint stack in stacks.Where(s => s != 0))
                {
                    _kernelPages.Free(stack);
                }

                space.Destroy();
                refusal = $"{_cluster}: no kernel page left for the stacks of process {incoming.Pid}";
                return false;
            }
        }

        _manager.SetSpace(incoming.Slot, space);
        incoming.Frames = frames;
        incoming.KernelStacks = stacks;
        refusal = null;
        return true;
    }

    /// <summary>
    /// Every region of an incoming process has arrived: its kernel state goes into this kernel's tables (the UArea, or
    /// the scattered tables), its contexts onto the new kernel stacks, its mailboxes into the table; its threads are
    /// ready at the cycle returned, spread over this cluster's cores.
    /// </summary>
    public ulong Restore(IncomingProcess incoming, ulong start, ulong copyCycles)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ProcessSnapshot snapshot = incoming.Snapshot ?? throw new InvalidOperationException("kernel bug: restore before the kernel state arrived");
        int slot = incoming.Slot;
        FreeStaging(incoming.Staging);
        foreach (uint frame in incoming.Frames)
        {
            _hardware.CodeChanged(frame / KernelConstants.PageSize);
        }

        int[] mailboxes = _ikc?.Mailboxes.Adopt(slot, snapshot.Mailboxes) ?? [];
        int[] portals = _ikc?.Portals.Adopt(slot, snapshot.Record.Pid, snapshot.Portals) ?? [];
        int[] syncs = _ikc?.SyncPoints.Adopt(slot, snapshot.Record.Pid, snapshot.Control.Moves, snapshot.SyncPoints) ?? [];

        // Putting the state into the tables is the master core's work, through its D$ (see Freeze).
        ICore master = _cores.Master;
        ulong stalls = master.Cycles;
        _state.Serving = master;
        TouchIkc(mailboxes, Unsafe.SizeOf<MailboxEntry>(), write: true);
        TouchIkc(portals, Unsafe.SizeOf<PortalEntry>(), write: true);
        TouchIkc(syncs, Unsafe.SizeOf<SyncEntry>(), write: true);
        _state.Clear(slot);
        ref ProcessRecord record = ref _processes[slot];
        record = snapshot.Record;
        record.State = ProcessState.Ready;
        _state.PageTable(slot, write: true).Root = _manager.Space(slot).Root;
        _state.RunQueue(slot, write: true) = snapshot.RunQueue;
        _state.Control(slot, write: true) = snapshot.Control;
        for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
        {
            _state.Mutex(slot, i, write: true) = snapshot.Mutexes[i];
            _state.Semaphore(slot, i, write: true) = snapshot.Semaphores[i];
            _state.Condition(slot, i, write: true) = snapshot.Conditions[i];
        }

        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            RestoreThread(slot, t, incoming, snapshot, mailboxes, portals, syncs);
        }

        _state.Serving = null;
        ulong readyAt = start + copyCycles + (master.Cycles - stalls);
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            if (incoming.KernelStacks[t] != 0)
            {
                ref ThreadEntry thread = ref _state.Thread(slot, t);
                thread.ReadyAt = Math.Max(thread.ReadyAt, readyAt);
            }
        }

        _ikc?.Resume(record.Pid, readyAt);
        return readyAt;
    }

    /// <summary>Puts thread <paramref name="t"/> of the snapshot into the tables; what it waits on gets its new place in this node's IKC table.</summary>
    private void RestoreThread(int slot, int t, IncomingProcess incoming, ProcessSnapshot snapshot, int[] mailboxes, int[] portals, int[] syncs)
    {
        _state.Join(slot, t, write: true) = snapshot.Joins[t];
        _state.Return(slot, t, write: true) = snapshot.Returns[t];
        ref ThreadStacks threadStacks = ref _state.Stacks(slot, t, write: true);
        threadStacks.KernelStack = incoming.KernelStacks[t];
        threadStacks.UserStackTop = snapshot.UserStackTops[t];
        ref ThreadEntry thread = ref _state.Thread(slot, t, write: true);
        thread = snapshot.Threads[t];
        int waitedOn = thread.WaitObject;
        if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.MailboxRead or WaitKind.MailboxAsync)
        {
            int image = snapshot.Mailboxes.FindIndex(m => m.Index == waitedOn);
            thread.WaitObject = image >= 0 ? mailboxes[image] : waitedOn;
        }
        else if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.SyncWait)
        {
            int image = snapshot.SyncPoints.FindIndex(p => p.Index == waitedOn);
            thread.WaitObject = image >= 0 ? syncs[image] : waitedOn;
        }
        else if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.PortalRead or WaitKind.PortalWrite or WaitKind.PortalAsync)
        {
            int image = snapshot.Portals.FindIndex(p => p.Index == waitedOn);
            thread.WaitObject = image >= 0 ? portals[image] : waitedOn;
        }

        if (incoming.KernelStacks[t] != 0)
        {
            _threads.Context(slot, t, write: true) = snapshot.Contexts[t];
            thread.Core = _scheduler.LeastLoadedCore();
        }
    }

    /// <summary>The move of an incoming process failed: gives back everything reserved for it.</summary>
    public void Discard(IncomingProcess incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        FreeStaging(incoming.Staging);
        foreach (uint stack in incoming.KernelStacks.Where(s => s != 0))
        {
            _kernelPages.Free(stack);
        }

        _manager.SpaceOrNull(incoming.Slot)?.Destroy();
        _manager.SetSpace(incoming.Slot, null);
        _processes[incoming.Slot] = default;
    }

    /// <summary>Counts the accesses to IKC entries <paramref name="ids"/> (their first <paramref name="size"/> bytes) in the serving core's D$.</summary>
    private void TouchIkc(IEnumerable<int> ids, int size, bool write)
    {
        foreach (int id in ids)
        {
            _state.Touch(TLayout.IkcDescriptor(_state.Plan, id), size, write);
        }
    }

    /// <summary>Why the IKC table has no room for the descriptors of <paramref name="snapshot"/> in slot <paramref name="slot"/>, or null.</summary>
    private string? IkcRoomShort(int slot, ProcessSnapshot snapshot)
    {
        IkcLayer<TLayout> ikc = _ikc!;
        int needed = snapshot.Mailboxes.Count + snapshot.Portals.Count + snapshot.SyncPoints.Count;

        // Under Scattered, a forward or relay the process left here is taken back in place; under UArea it moves into the User Area.
        int reused = TLayout.Kind == ProcessLayoutKind.Scattered
            ? ikc.Mailboxes.Reused(snapshot.Mailboxes) + ikc.SyncPoints.Reused(snapshot.Record.Pid, snapshot.SyncPoints)
            : 0;
        int free = ikc.Table.FreeCount(slot);
        return free + reused < needed ? $"{free} free IKC entries for process {snapshot.Record.Pid}, it needs {needed}" : null;
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

    private uint[]? AllocateStaging(int bytes)
    {
        var pages = new uint[Math.Max(1, (bytes + (int)KernelConstants.PageSize - 1) / (int)KernelConstants.PageSize)];
        for (int i = 0; i < pages.Length; i++)
        {
            if (!_kernelPages.TryAllocate(out pages[i]))
            {
                FreeStaging(pages.AsSpan(0, i));
                return null;
            }
        }

        return pages;
    }

    private void FreeStaging(ReadOnlySpan<uint> pages)
    {
        foreach (uint page in pages)
        {
            _kernelPages.Free(page);
        }
    }
}
