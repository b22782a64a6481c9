using System.Runtime.CompilerServices;
using Nanvix.Arch.Core;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Images;

/// <summary>
/// The target side of a move in the kernel: reserves a slot and a staging area for a process moving here, maps its pages
/// and kernel stacks once its kernel state has arrived, and restores that state into this kernel's tables (the master
/// core's work, through its D$), or gives everything back when the move fails.
/// </summary>
internal sealed class IncomingImages<TLayout>
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

    public IncomingImages(
        string cluster, ClusterMemory memory, ProcessTable processes, KernelState<TLayout> state, ThreadManager<TLayout> threads, ProcessManager<TLayout> manager,
        Scheduler<TLayout> scheduler, KernelCores cores, PageAllocator frames, PageAllocator kernelPages, ICluster hardware, IkcLayer<TLayout>? ikc)
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

        uint[] staging = StagingPages.Allocate(_kernelPages, regionBytes)!;
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

        AddressSpace? space = AddressSpace.Create(_state.Memory, _kernelPages, _frames);
        if (space is null)
        {
            refusal = $"{_cluster}: no kernel page left for a page table";
            return false;
        }

        var frames = new uint[snapshot.SentSectionPages + snapshot.SentStackPages];
        var stacks = new uint[KernelConstants.MaxThreads];
        if (!MapPages(incoming, snapshot, space, frames))
        {
            space.Destroy();
            refusal = $"{_cluster}: not enough user memory for process {incoming.Pid}";
            return false;
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
    /// Maps the pages of <paramref name="snapshot"/> in <paramref name="space"/>: a fresh frame for each page that comes in
    /// the regions (into <paramref name="frames"/>, in order), the frame a pre-copy round brought for each page that
    /// came so; pre-copied pages the process no longer has, or that come again, are freed. False when memory runs out
    /// (the frames mapped go with the space).
    /// </summary>
    private bool MapPages(IncomingProcess incoming, ProcessSnapshot snapshot, AddressSpace space, uint[] frames)
    {
        // Copies the process no longer keeps (sent again, or gone) go first, so that their frames can take the pages sent now.
        var keeps = new HashSet<uint>(snapshot.Pages.Where((_, i) => snapshot.RouteOf(i) == PageRoute.Precopied).Select(p => p.Virtual));
        foreach ((uint va, uint stale) in incoming.Precopied.Where(p => !keeps.Contains(p.Key)).ToList())
        {
            incoming.Precopied.Remove(va);
            _frames.Free(stale);
        }

        int next = 0;
        for (int i = 0; i < snapshot.Pages.Count; i++)
        {
            (uint va, PagePermissions permissions) = snapshot.Pages[i];
            if (snapshot.RouteOf(i) == PageRoute.Precopied)
            {
                // A page the source counts as here and is not would be a protocol error: the move is refused, not corrupted.
                if (!incoming.Precopied.Remove(va, out uint frame))
                {
                    return false;
                }

                if (space.MapFrame(va, frame, permissions) != MapResult.Mapped)
                {
                    _frames.Free(frame);
                    return false;
                }

                // Its contents landed by DMA: what a core predecoded from that frame before is stale.
                _hardware.CodeChanged(frame / KernelConstants.PageSize);
            }
            else if (snapshot.RouteOf(i) == PageRoute.OnDemand)
            {
                // Still on the source (post-copy): an access faults, and the page is pulled into a frame kept for it.
                if (space.MapRemote(va, permissions) != MapResult.Mapped || !_frames.TryAllocate(out uint kept, zero: false))
                {
                    return false;
                }

                incoming.PullFrames.Add(kept);
            }
            else if (space.MapNew(va, permissions, zero: false) != MapResult.Mapped || !space.TryTranslate(va, PagePermissions.None, out frames[next++]))
            {
                return false;
            }
        }

        FreePrecopied(incoming);
        return true;
    }

    /// <summary>Frees the frames of pre-copied pages not (or no longer) needed, and of a batch allowed but not landed.</summary>
    private void FreePrecopied(IncomingProcess incoming)
    {
        foreach (uint frame in incoming.Precopied.Values)
        {
            _frames.Free(frame);
        }

        foreach (uint frame in incoming.BatchFrames)
        {
            _frames.Free(frame);
        }

        incoming.Precopied.Clear();
        incoming.BatchFrames = [];
    }

    /// <summary>Frees the frames kept for the pages of a post-copy move that will not be pulled after all (the move failed).</summary>
    private void FreePullFrames(IncomingProcess incoming)
    {
        foreach (uint frame in incoming.PullFrames)
        {
            _frames.Free(frame);
        }

        incoming.PullFrames.Clear();
    }

    /// <summary>
    /// Frames for a pre-copy batch of <paramref name="pages"/> pages of an incoming process, which its contents land in
    /// (the previous batch must have landed); false with the reason when this cluster has not that many frames free.
    /// </summary>
    public bool AllowBatch(IncomingProcess incoming, int pages, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (_frames.FreeCount < pages)
        {
            refusal = $"{_cluster}: no memory for process {incoming.Pid}: {pages} pre-copied pages ({_frames.FreeCount} free)";
            return false;
        }

        var frames = new uint[pages];
        for (int i = 0; i < pages; i++)
        {
            _frames.TryAllocate(out frames[i], zero: false);
        }

        incoming.BatchFrames = frames;
        refusal = null;
        return true;
    }

    /// <summary>
    /// The pre-copy batch landed: its page list (in the staging page) says which virtual page each frame holds; a page
    /// that came before is replaced (its old frame freed).
    /// </summary>
    public void BatchLanded(IncomingProcess incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ReadOnlySpan<byte> list = _memory.Bytes(incoming.Staging[0], (int)KernelConstants.PageSize);
        for (int i = 0; i < incoming.BatchFrames.Length; i++)
        {
            uint va = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(list[(i * 4)..]) & ~(KernelConstants.PageSize - 1);
            if (incoming.Precopied.Remove(va, out uint old))
            {
                _frames.Free(old);
            }

            incoming.Precopied[va] = incoming.BatchFrames[i];
        }

        incoming.BatchFrames = [];
    }

    /// <summary>
    /// The last part of a pre-copy move is announced (<paramref name="regionBytes"/> of kernel state, <paramref name="pageCount"/>
    /// pages in the regions): the staging area is made the kernel state's size; false with the reason when memory is short.
    /// </summary>
    public bool Restage(IncomingProcess incoming, int regionBytes, int pageCount, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        StagingPages.Free(_kernelPages, incoming.Staging);
        // The copies of pages that come again are freed before the pages are mapped: they count as free here.
        uint[]? staging = _frames.FreeCount + incoming.Precopied.Count < pageCount ? null : StagingPages.Allocate(_kernelPages, regionBytes);
        if (staging is null)
        {
            incoming.Staging = [];
            refusal = $"{_cluster}: no memory for process {incoming.Pid}: {pageCount} user pages ({_frames.FreeCount} free), kernel pages ({_kernelPages.FreeCount} free)";
            return false;
        }

        incoming.Staging = staging;
        incoming.RegionBytes = regionBytes;
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
        StagingPages.Free(_kernelPages, incoming.Staging);
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
        _state.Memory.Execute(KernelPath.MigrationRestore);
        ImageAccounting.TouchIkc(_state, mailboxes, Unsafe.SizeOf<MailboxEntry>(), write: true);
        ImageAccounting.TouchIkc(_state, portals, Unsafe.SizeOf<PortalEntry>(), write: true);
        ImageAccounting.TouchIkc(_state, syncs, Unsafe.SizeOf<SyncEntry>(), write: true);
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

    /// <summary>A post-copied page arrived in <paramref name="frame"/>: mapped, and the threads that waited for it run again (see <see cref="IClusterKernel.LandPage"/>).</summary>
    public bool LandPage(int pid, uint page, uint frame, ulong now)
    {
        int slot = _processes.SlotOf(pid);
        if (slot < 0 || _manager.SpaceOrNull(slot) is not { } space)
        {
            return false;
        }

        _state.Serving = _cores.Master;
        bool landed = space.Land(page, frame);
        if (landed)
        {
            // Its contents came by DMA: what a core predecoded from that frame before is stale.
            _hardware.CodeChanged(frame / KernelConstants.PageSize);
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = _state.Thread(slot, t);
                if (thread.State == ThreadStatus.Blocked && thread.WaitKind == WaitKind.PageFetch && (uint)thread.WaitObject == page)
                {
                    _threads.Resume(slot, t, now);
                }
            }
        }

        _state.Serving = null;
        return landed;
    }

    /// <summary>The move of an incoming process failed: gives back everything reserved for it.</summary>
    public void Discard(IncomingProcess incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        StagingPages.Free(_kernelPages, incoming.Staging);
        incoming.Staging = [];
        FreePrecopied(incoming);
        FreePullFrames(incoming);
        foreach (uint stack in incoming.KernelStacks.Where(s => s != 0))
        {
            _kernelPages.Free(stack);
        }

        _manager.SpaceOrNull(incoming.Slot)?.Destroy();
        _manager.SetSpace(incoming.Slot, null);
        _processes[incoming.Slot] = default;
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
}
