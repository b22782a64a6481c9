using System.Runtime.CompilerServices;
using System.Text;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Services;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel;

/// <summary>
/// The microkernel of one cluster, with the per-process state laid out by <typeparamref name="TLayout"/>. At boot
/// it lays out its state in the kernel-data region (the page bitmaps, the process table, then the per-process
/// state as the layout says) and makes one core model per core. Core 0 is the master: it serves the kernel calls
/// that the other cores post on the kernel-call board. Every piece of process state lives in cluster memory: the
/// records, the tables, the page tables, and each thread's saved context at the top of its kernel stack page.
/// </summary>
public sealed class ClusterKernel<TLayout> : IClusterKernel, IEventTarget
    where TLayout : struct, IProcessLayout
{
    private const int CacheLine = 64;


    private readonly ClusterMemory _memory;
    private readonly Hart[] _harts;

    /// <summary>Instructions retired and kernel calls served here, by pid (statistics of this cluster, grown as pids come).</summary>
    private ulong[] _instructionsOf = new ulong[KernelConstants.MaxProcesses];

    private ulong[] _kernelCallsOf = new ulong[KernelConstants.MaxProcesses];
    private readonly AddressSpace?[] _spaces = new AddressSpace?[KernelConstants.MaxProcesses];
    private readonly uint[] _activeRoot;
    private readonly List<ProcessExit> _exits = [];
    private readonly KernelCalls<TLayout> _calls;
    private readonly ProcessIds _pids;
    private readonly EventScheduler? _scheduler;
    private readonly IMailboxInput? _hardwareMailbox;

    /// <param name="cluster">The cluster this kernel runs on.</param>
    /// <param name="frequencyHz">Clock of its cores.</param>
    /// <param name="console">Where programs' standard streams go.</param>
    /// <param name="pids">Where process ids come from (shared by the kernels of a processor).</param>
    /// <param name="processor">The processor, for the NoC and its clock; without it the IKC calls answer ENOSYS.</param>
    /// <param name="costs">The cores' cycle costs (the miss penalty among them); the MPPA-256's when null.</param>
    public ClusterKernel(ICluster cluster, long frequencyHz, IConsole console, ProcessIds? pids = null, IProcessor? processor = null, CycleCosts? costs = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(console);
        if (cluster.Cores.Count < 2)
        {
            throw new ArgumentException($"{cluster.Name} has {cluster.Cores.Count} core(s); the kernel needs a master core and a user core");
        }

        if (cluster.Cores.Count > KernelConstants.MaxCores)
        {
            throw new ArgumentException($"{cluster.Name} has {cluster.Cores.Count} cores; the kernel-call board has {KernelConstants.MaxCores} slots");
        }

        Cluster = cluster;
        FrequencyHz = frequencyHz;
        Console = console;
        _memory = cluster.Memory;
        _pids = pids ?? new ProcessIds();

        // Kernel data at boot: the two page bitmaps, the process table, then the per-process state.
        MemoryRegion data = _memory.Map[MemoryRegionNames.KernelData];
        ulong cursor = data.Base;
        Frames = new PageAllocator(_memory, _memory.Map[MemoryRegionNames.User], cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(Frames.PageCount), CacheLine);
        KernelPages = new PageAllocator(_memory, _memory.Map[MemoryRegionNames.KernelPool], cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(KernelPages.PageCount), CacheLine);
        Processes = new ProcessTable(_memory, cursor);
        cursor = AlignUp(cursor + (ulong)ProcessTable.Size, CacheLine);
        KernelDataPlan plan = TLayout.Plan(cursor, KernelConstants.MaxProcesses);
        if (plan.End > data.End)
        {
            throw new InvalidOperationException($"{cluster.Name}: the per-process state needs kernel data up to 0x{plan.End:x}, the region ends at 0x{data.End:x}");
        }

        _memory.Bytes(cursor, checked((int)(plan.End - cursor))).Clear();
        State = new KernelState<TLayout>(_memory, plan);

        Bus = new MemoryBus(_memory);
        _harts = new Hart[cluster.Cores.Count];
        for (int i = 0; i < _harts.Length; i++)
        {
            _harts[i] = new Hart(Bus, costs);
        }

        _activeRoot = new uint[_harts.Length];
        Scheduler = new Scheduler<TLayout>(State, _harts, Processes);

        // IKC: the one descriptor table of mailboxes, portals and sync points, where the layout put it (the processes'
        // parts in their User Areas and the node's entries after them, or one global table), a kernel page for
        // unclaimed messages, and the hardware mailbox of the cluster's node, which tells this kernel when messages arrive.
        if (processor is not null)
        {
            if (!KernelPages.TryAllocate(out uint unclaimed))
            {
                throw new InvalidOperationException($"{cluster.Name}: no kernel page for the unclaimed messages");
            }

            Ikc = new IkcTable<TLayout>(_memory, plan);
            IkcTables = IkcPlacements(plan);
            _scheduler = processor.Scheduler;
            int node = cluster.NocNodes[0];
            Mailboxes = new MailboxCalls<TLayout>(this, processor.Noc, node, Ikc, unclaimed);
            Names = new NameCalls<TLayout>(this, Mailboxes, NameService.NodeOf(processor), SpawnService.NodeOf(processor));
            SyncPoints = new SyncPointCalls<TLayout>(this, processor.Noc, node, Ikc);
            Portals = new PortalCalls<TLayout>(this, processor.Noc, node, Ikc);
            _hardwareMailbox = processor.Noc.CreateMailbox(node);
            _hardwareMailbox.Notify(this, KernelEvent.Of(KernelEventKind.MailboxArrival, 0));
        }

        _calls = new KernelCalls<TLayout>(this, new ThreadCalls<TLayout>(this), new SyncCalls<TLayout>(this), Mailboxes, Names, SyncPoints, Portals);
    }

    public ICluster Cluster { get; }

    public long FrequencyHz { get; }

    public IConsole Console { get; }

    public ProcessLayoutKind Layout => TLayout.Kind;

    public KernelDataPlan Plan => State.Plan;

    public IReadOnlyList<Placement> IkcTables { get; } = [];

    public IQuantumObserver? Observer { get; set; }

    /// <summary>The IKC descriptor table (null without a processor).</summary>
    internal IkcTable<TLayout>? Ikc { get; }

    public PageAllocator Frames { get; }

    public PageAllocator KernelPages { get; }

    public MemoryBus Bus { get; }

    public IReadOnlyList<ProcessExit> Exits => _exits;

    public KernelStatistics Statistics
    {
        get
        {
            ulong instructions = 0;
            ulong cycles = 0;
            foreach (Hart hart in _harts)
            {
                instructions += hart.Retired;
                cycles = Math.Max(cycles, hart.Cycles);
            }

            return new KernelStatistics(instructions, cycles, _calls.Served);
        }
    }

    public bool HasLiveProcesses
    {
        get
        {
            for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
            {
                if (Processes.IsLive(slot))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public bool HasProcess(int pid) => Processes.SlotOf(pid) >= 0;

    internal ProcessTable Processes { get; }

    internal KernelState<TLayout> State { get; }

    internal Scheduler<TLayout> Scheduler { get; }

    internal Hart Master => _harts[ClusterKernel.MasterCore];

    internal ClusterMemory Memory => _memory;

    internal MailboxCalls<TLayout>? Mailboxes { get; }

    internal NameCalls<TLayout>? Names { get; }

    internal SyncPointCalls<TLayout>? SyncPoints { get; }

    internal PortalCalls<TLayout>? Portals { get; }

    public Hart Core(int core) => _harts[core];

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data)
    {
        foreach (Hart hart in _harts)
        {
            hart.EnableCaches(instruction, data);
        }
    }

    public void UseEngine(HartEngine engine)
    {
        foreach (Hart hart in _harts)
        {
            hart.Engine = engine;
        }
    }

    public int Spawn(ElfImage image, IReadOnlyList<string> arguments) => Spawn(image, arguments, 0);

    public int Spawn(ElfImage image, IReadOnlyList<string> arguments, ulong notBefore)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(arguments);
        ProgramLoader.CheckPlacement(image);
        int slot = FreeSlot();
        int freeFrames = Frames.FreeCount;
        AddressSpace space = AddressSpace.Create(_memory, KernelPages, Frames)
            ?? throw new KernelException($"{Cluster.Name}: no kernel page left for a page table");
        var user = new UserAccess(_memory, space, Bus);
        if (!ProgramLoader.LoadSegments(image, space, user) || !ProgramLoader.MapStack(space) || !KernelPages.TryAllocate(out uint kernelStack))
        {
            space.Destroy();
            throw new KernelException(
                $"{Cluster.Name}: not enough memory for the program: it needs {(image.PageBytes + KernelConstants.MainStackBytes) / 1024} KB of user memory and {freeFrames * KernelConstants.PageSize / 1024} KB are free");
        }

        uint sp;
        try
        {
            sp = ProgramLoader.BuildInitialStack(user, arguments);
        }
        catch
        {
            space.Destroy();
            KernelPages.Free(kernelStack);
            throw;
        }

        ref ProcessRecord process = ref Processes[slot];
        process = default;
        process.Pid = _pids.Next();
        process.State = ProcessState.Ready;
        process.Entry = image.Entry;
        process.ImageStart = image.Segments[0].VirtualAddress;
        process.ImageEnd = (uint)image.End;
        process.BrkStart = (uint)AlignUp(image.End, KernelConstants.PageSize);
        process.Brk = process.BrkStart;
        process.StackTop = KernelConstants.UserStackTop;
        process.StackBottom = KernelConstants.UserStackTop - KernelConstants.MainStackBytes;
        _spaces[slot] = space;

        State.Serving = null;
        State.Clear(slot);
        State.PageTable(slot, write: true).Root = space.Root;
        int core = Scheduler.LeastLoadedCore();
        StartThread(slot, 0, core, kernelStack, KernelConstants.UserStackTop, image.Entry, sp, 0, 0, Math.Max(_harts[core].Cycles, notBefore));
        return process.Pid;
    }

    [KernelHotPath]
    public bool Step()
    {
        // Choosing the next quantum is the simulator's shortcut, not modeled kernel work: it touches no modeled cache.
        State.Serving = null;
        if (!Scheduler.TryPick(out int core, out int slot, out int tid))
        {
            return false;
        }

        // A quantum runs one thread of one process: what the core retired and the kernel served meanwhile is that process's.
        Hart hart = _harts[core];
        int pid = Processes[slot].Pid;
        ulong retired = hart.Retired;
        ulong served = _calls.Served;
        RunQuantum(core, slot, tid);
        Count(pid, hart.Retired - retired, _calls.Served - served);
        return true;
    }

    public ProcessStatistics StatisticsOf(int pid) =>
        (uint)pid < (uint)_instructionsOf.Length ? new ProcessStatistics(_instructionsOf[pid], _kernelCallsOf[pid]) : default;

    private void Count(int pid, ulong instructions, ulong kernelCalls)
    {
        if ((uint)pid >= (uint)_instructionsOf.Length)
        {
            int length = Math.Max(pid + 1, _instructionsOf.Length * 2);
            Array.Resize(ref _instructionsOf, length);
            Array.Resize(ref _kernelCallsOf, length);
        }

        _instructionsOf[pid] += instructions;
        _kernelCallsOf[pid] += kernelCalls;
    }

    public bool TryPeek(out ulong start)
    {
        State.Serving = null;
        return Scheduler.TryPick(out _, out _, out _, out start);
    }

    /// <summary>
    /// Runs every live process to its end. With a processor, NoC events and quanta are taken in order of simulated
    /// time (events first on a tie), so programs that talk over the NoC run here too.
    /// </summary>
    public IReadOnlyList<ProcessExit> RunToCompletion()
    {
        while (HasLiveProcesses)
        {
            bool ready = TryPeek(out ulong start);
            if (_scheduler is not null && _scheduler.TryPeek(out ulong due) && (!ready || due <= start))
            {
                _scheduler.Step();
            }
            else if (!ready || !Step())
            {
                KillDeadlocked();
            }
        }

        return _exits;
    }

    /// <summary>The simulated cycle of the NoC event being handled (0 without a processor).</summary>
    internal ulong Now => _scheduler?.Now ?? 0;

    /// <summary>Runs the NoC operation of parked thread <paramref name="tid"/> when simulated time reaches <paramref name="at"/>.</summary>
    internal void Defer(ulong at, int slot, int tid) => Defer(at, KernelEventKind.ThreadOperation, (slot << 8) | tid);

    /// <summary>Delivers an event of <paramref name="kind"/> with <paramref name="value"/> to this kernel at cycle <paramref name="at"/> (or now).</summary>
    internal void Defer(ulong at, KernelEventKind kind, int value)
    {
        EventScheduler scheduler = _scheduler ?? throw new InvalidOperationException($"{Cluster.Name}: kernel bug: a NoC call without a processor");
        scheduler.Schedule(Math.Max(at, scheduler.Now), this, KernelEvent.Of(kind, value), "kernel.noc");
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        State.Serving = null;
        int value = KernelEvent.ValueOf(argument);
        switch (KernelEvent.KindOf(argument))
        {
            case KernelEventKind.MailboxArrival:
                Mailboxes!.Receive(_hardwareMailbox!, cycle);
                break;
            case KernelEventKind.PortalInput:
                Portals!.InputDone(cycle);
                break;
            case KernelEventKind.PortalOutput:
                Portals!.OutputDone(value, cycle);
                break;
            case KernelEventKind.SyncRelease:
                SyncPoints!.Released(value, cycle);
                break;
            case KernelEventKind.MailboxAsyncSend:
                Mailboxes!.SendPosted(value, cycle);
                break;
            case KernelEventKind.MailboxBacklog:
                Mailboxes!.FlushBacklog(cycle);
                break;
            case KernelEventKind.MailboxAsyncDelivered:
                Mailboxes!.Delivered(value, cycle);
                break;
            case KernelEventKind.PortalAsyncStart:
                Portals!.StartPosted(value, cycle);
                break;
            default:
                RunThreadOperation(value >> 8, value & 0xFF, cycle);
                break;
        }
    }

    /// <summary>The NoC operation a parked thread asked for: send its message or request, signal, start its transfer.</summary>
    private void RunThreadOperation(int slot, int tid, ulong cycle)
    {
        if (!Processes.IsLive(slot) || State.Thread(slot, tid).State != ThreadStatus.Blocked)
        {
            return;
        }

        switch (State.Thread(slot, tid).WaitKind)
        {
            case WaitKind.MailboxWrite:
                Mailboxes!.Send(slot, tid, cycle);
                break;
            case WaitKind.Service:
                Names!.Send(slot, tid, cycle);
                break;
            case WaitKind.SyncSignal:
                SyncPoints!.Send(slot, tid, cycle);
                break;
            case WaitKind.PortalRead or WaitKind.PortalWrite:
                Portals!.Start(slot, tid, cycle);
                break;
        }
    }

    /// <summary>Runs thread <paramref name="tid"/> of process <paramref name="slot"/> for one quantum on <paramref name="core"/>.</summary>
    [KernelHotPath]
    internal void RunQuantum(int core, int slot, int tid)
    {
        Hart hart = _harts[core];
        State.Serving = hart;
        ref ThreadEntry thread = ref State.Thread(slot, tid);
        if (hart.Cycles < thread.ReadyAt)
        {
            hart.Cycles = thread.ReadyAt;
        }

        IQuantumObserver? observer = Observer;
        ulong start = hart.Cycles;
        ulong retired = hart.Retired;
        ulong misses = observer is null ? 0 : Misses(hart);
        int pid = observer is null ? 0 : Processes[slot].Pid;
        uint root = State.PageTable(slot).Root;
        if (_activeRoot[core] != root)
        {
            hart.Mmu.UseSv32(root / KernelConstants.PageSize);
            _activeRoot[core] = root;
        }

        hart.ClearReservation();
        ref RegisterContext context = ref Context(slot, tid);
        RunResult result = hart.Run(ref context, KernelConstants.QuantumInstructions);
        State.Serving = hart;
        State.Touch(ContextAddress(slot, tid), RegisterContext.Size, write: true);
        ulong userEnd = hart.Cycles;
        if (!result.IsTrap)
        {
            Scheduler.Rotate(slot, tid);
            observer?.Quantum(new QuantumRecord(Cluster.Id, core, pid, tid, start, userEnd, userEnd, hart.Retired - retired, -1, -1, Misses(hart) - misses));
            return;
        }

        hart.AddCycles(KernelConstants.TrapCycles);
        int call = -1;
        if (result.Cause == TrapCause.EcallFromUser)
        {
            call = observer is null ? -1 : (int)context.Get(AbiRegister.A7);
            _calls.Serve(core, slot, tid, ref context);
        }
        else
        {
            Kill(slot, tid, core, result);
        }

        observer?.Quantum(new QuantumRecord(
            Cluster.Id, core, pid, tid, start, userEnd, hart.Cycles, hart.Retired - retired, call, call < 0 ? (int)result.Cause : -1, Misses(hart) - misses));
    }

    /// <summary>What a quantum observer sees of a core's caches: its I$ and D$ misses so far, user and kernel.</summary>
    private static ulong Misses(Hart hart) =>
        (hart.InstructionCache is { } i ? i.User.Misses + i.Kernel.Misses : 0) + (hart.DataCache is { } d ? d.User.Misses + d.Kernel.Misses : 0);

    /// <summary>
    /// The saved context of a thread, at the top of its kernel stack page; the access is counted in the D$ of the
    /// core the kernel serves (restoring or saving it on a trap, writing a result into it).
    /// </summary>
    internal ref RegisterContext Context(int slot, int tid, bool write = false)
    {
        ulong address = ContextAddress(slot, tid);
        State.Touch(address, RegisterContext.Size, write);
        return ref _memory.At<RegisterContext>(address);
    }

    private ulong ContextAddress(int slot, int tid) =>
        State.Stacks(slot, tid).KernelStack + KernelConstants.PageSize - RegisterContext.Size;

    internal AddressSpace Space(int slot) => _spaces[slot] ?? throw new InvalidOperationException($"{Cluster.Name}: kernel bug: process slot {slot} has no address space");

    internal UserAccess User(int slot) => new(_memory, Space(slot), Bus);

    /// <summary>Makes a new thread ready: its entry in the tables, its context at the top of its kernel stack, its place in the queue.</summary>
    [KernelHotPath]
    internal void StartThread(int slot, int tid, int core, uint kernelStack, uint userStackTop, uint pc, uint sp, uint a0, uint a1, ulong readyAt)
    {
        ref ThreadStacks stacks = ref State.Stacks(slot, tid, write: true);
        stacks.KernelStack = kernelStack;
        stacks.UserStackTop = userStackTop;
        State.Join(slot, tid, write: true) = default;
        State.Return(slot, tid, write: true) = default;
        ref ThreadEntry thread = ref State.Thread(slot, tid, write: true);
        thread = default;
        thread.Tid = tid;
        thread.State = ThreadStatus.Ready;
        thread.Core = core;
        thread.ReadyAt = readyAt;
        ref ThreadControl control = ref State.Control(slot, write: true);
        control.LiveThreads++;
        control.Created++;

        ref RegisterContext context = ref Context(slot, tid, write: true);
        context = default;
        context.Pc = pc;
        context.Set(AbiRegister.Sp, sp);
        context.Set(AbiRegister.A0, a0);
        context.Set(AbiRegister.A1, a1);
        Scheduler.Enqueue(slot, tid);
    }

    /// <summary>Readies a blocked thread at cycle <paramref name="at"/> with <paramref name="result"/> as the answer of its kernel call.</summary>
    [KernelHotPath]
    internal void Wake(int slot, int tid, int result, ulong at)
    {
        Context(slot, tid, write: true).Set(AbiRegister.A0, (uint)result);
        ref ThreadEntry thread = ref State.Thread(slot, tid, write: true);
        thread.State = ThreadStatus.Ready;
        thread.WaitKind = WaitKind.None;
        thread.ReadyAt = at + KernelConstants.SysboardReplyCycles;
        Scheduler.Enqueue(slot, tid);
    }

    /// <summary>Parks thread <paramref name="tid"/> in the kernel, waiting for <paramref name="kind"/> <paramref name="target"/>.</summary>
    [KernelHotPath]
    internal void Block(int slot, int tid, WaitKind kind, int target)
    {
        ref ThreadControl control = ref State.Control(slot, write: true);
        ref ThreadEntry thread = ref State.Thread(slot, tid, write: true);
        thread.State = ThreadStatus.Blocked;
        thread.WaitKind = kind;
        thread.WaitObject = target;
        thread.WaitMutex = 0;
        thread.WaitTicket = control.NextTicket++;
        Scheduler.Remove(slot, tid);
    }

    /// <summary>The thread that has waited longest for <paramref name="kind"/> <paramref name="target"/>, or -1.</summary>
    [KernelHotPath]
    internal int FirstWaiter(int slot, WaitKind kind, int target)
    {
        int first = -1;
        int ticket = int.MaxValue;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ref ThreadEntry thread = ref State.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind == kind && thread.WaitObject == target && thread.WaitTicket < ticket)
            {
                first = t;
                ticket = thread.WaitTicket;
            }
        }

        return first;
    }

    /// <summary>Drops every core's TLB: a page was unmapped and no core may keep using its old frame.</summary>
    internal void FlushTlbs()
    {
        foreach (Hart hart in _harts)
        {
            hart.Mmu.FlushTlb();
        }
    }

    /// <summary>
    /// Freezes process <paramref name="pid"/> between two quanta for a move to NoC node <paramref name="targetNode"/>:
    /// it is no longer scheduled, what arrives for its mailboxes is held, and its kernel state is gathered into a
    /// staging area of kernel pages, laid out as it travels. Null with the reason when it cannot move now;
    /// <paramref name="retry"/> then says whether it may a little later (a thread inside a NoC operation).
    /// </summary>
    public OutgoingProcess? Freeze(int pid, int targetNode, out string? refusal, out bool retry)
    {
        retry = false;
        int slot = Processes.SlotOf(pid);
        if (slot < 0)
        {
            refusal = $"{Cluster.Name} runs no process {pid}";
            return null;
        }

        State.Serving = null;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = State.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind is not (WaitKind.None or WaitKind.Join or WaitKind.Mutex or WaitKind.Semaphore
                or WaitKind.Condition or WaitKind.Sleep or WaitKind.MailboxRead or WaitKind.MailboxAsync or WaitKind.PortalRead
                or WaitKind.PortalWrite or WaitKind.PortalAsync or WaitKind.SyncWait or WaitKind.Migration))
            {
                refusal = $"process {pid}: thread {t} is inside a NoC operation ({thread.WaitKind})";
                retry = true;
                return null;
            }
        }

        if (Portals?.CannotMoveTo(pid, targetNode) is { } portalPeer)
        {
            refusal = $"process {pid}: {portalPeer}";
            return null;
        }

        if (Mailboxes?.Unsettled(pid) is { } unsettled)
        {
            refusal = $"process {pid}: {unsettled}";
            retry = true;
            return null;
        }

        // What the process leaves behind (a forward per input, a relay or forward per sync point) must find node entries.
        int behind = (Mailboxes?.NodeEntriesNeeded(pid) ?? 0) + (SyncPoints?.NodeEntriesNeeded(pid) ?? 0) + (Portals?.NodeEntriesNeeded(pid) ?? 0);
        if (Ikc is not null && !Ikc.HasNodeRoom(behind))
        {
            refusal = $"{Cluster.Name}: no room for the {behind} IKC entries process {pid} would leave here";
            return null;
        }

        var pages = new List<(uint, PagePermissions)>();
        var frames = new List<uint>();
        int stackPages = 0;
        uint lowestStack = ThreadCalls<TLayout>.StackTop(KernelConstants.MaxThreads - 1) - KernelConstants.ThreadStackBytes;
        foreach ((uint va, uint frame, PagePermissions permissions) in Space(slot).Mappings())
        {
            pages.Add((va, permissions));
            frames.Add(frame);
            stackPages += va >= lowestStack ? 1 : 0;
        }

        // Gathering the per-process state is the kernel's work on the master core, through its D$ like every other
        // kernel access: one contiguous run of lines under the UArea, an entry in each table when Scattered.
        Hart master = Master;
        ulong stalls = master.Cycles;
        State.Serving = master;
        var threads = new ThreadEntry[KernelConstants.MaxThreads];
        var joins = new JoinCondition[KernelConstants.MaxThreads];
        var returns = new ReturnValue[KernelConstants.MaxThreads];
        var tops = new uint[KernelConstants.MaxThreads];
        var contexts = new RegisterContext[KernelConstants.MaxThreads];
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            threads[t] = State.Thread(slot, t);
            joins[t] = State.Join(slot, t);
            returns[t] = State.Return(slot, t);
            tops[t] = State.Stacks(slot, t).UserStackTop;
            if (threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked)
            {
                contexts[t] = Context(slot, t);
            }
        }

        var mutexes = new MutexEntry[KernelConstants.MaxSyncObjects];
        var semaphores = new SemaphoreEntry[KernelConstants.MaxSyncObjects];
        var conditions = new ConditionEntry[KernelConstants.MaxSyncObjects];
        for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
        {
            mutexes[i] = State.Mutex(slot, i);
            semaphores[i] = State.Semaphore(slot, i);
            conditions[i] = State.Condition(slot, i);
        }

        // Every try to move gets a new number (a move called off keeps its number used): messages name the move by it.
        int move = ++State.Control(slot, write: true).Moves;
        var snapshot = new ProcessSnapshot
        {
            Record = Processes[slot],
            Pages = pages,
            Threads = threads,
            Joins = joins,
            Returns = returns,
            UserStackTops = tops,
            Contexts = contexts,
            RunQueue = State.RunQueue(slot),
            Control = State.Control(slot),
            Mutexes = mutexes,
            Semaphores = semaphores,
            Conditions = conditions,
            Mailboxes = [],
            Portals = [],
            SyncPoints = [],
            StackPages = stackPages,
        };
        State.Serving = null;
        stalls = master.Cycles - stalls;

        // The IKC state last. Portals first: they may still have to wait for a transfer on the wires.
        ulong now = _scheduler?.Now ?? 0;
        if (Portals is not null)
        {
            List<PortalImage>? portals = Portals.Capture(pid, now, out string? unsettledPortal);
            if (portals is null)
            {
                refusal = $"process {pid}: {unsettledPortal}";
                retry = true;
                return null;
            }

            snapshot.Portals.AddRange(portals);
        }

        // From here on, messages for the process are held until it has moved or stays after all.
        snapshot.Mailboxes.AddRange(Mailboxes?.Capture(pid, targetNode) ?? []);
        snapshot.SyncPoints.AddRange(SyncPoints?.Capture(pid) ?? []);

        // The descriptors were read where the layout keeps them, through the master core's D$ like the rest.
        ulong ikcStalls = master.Cycles;
        State.Serving = master;
        TouchIkc(snapshot.Mailboxes.Select(m => m.Index), Unsafe.SizeOf<MailboxEntry>(), write: false);
        TouchIkc(snapshot.Portals.Select(p => p.Index), Unsafe.SizeOf<PortalEntry>(), write: false);
        TouchIkc(snapshot.SyncPoints.Select(p => p.Index), Unsafe.SizeOf<SyncEntry>(), write: false);
        State.Serving = null;
        stalls += master.Cycles - ikcStalls;
        uint[]? staging = AllocateStaging(snapshot.RegionBytes);
        if (staging is null)
        {
            Mailboxes?.StayAfterAll(pid, now);
            Portals?.Resume(pid, now);
            SyncPoints?.Resume(pid, now);
            refusal = $"{Cluster.Name}: no kernel pages left to stage the {snapshot.RegionBytes} bytes of kernel state of process {pid}";
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

        Processes[slot].State = ProcessState.Frozen;
        refusal = null;
        return new OutgoingProcess(pid, move, snapshot, [.. frames], staging) { GatherStallCycles = stalls, TargetNode = targetNode };
    }

    /// <summary>The move of a frozen process was called off: it goes on here, with what its mailboxes held meanwhile.</summary>
    public void Thaw(OutgoingProcess outgoing, ulong now)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        int slot = FrozenSlot(outgoing.Pid);
        FreeStaging(outgoing.Staging);
        Processes[slot].State = ProcessState.Ready;
        Mailboxes?.StayAfterAll(outgoing.Pid, now);
        SyncPoints?.Resume(outgoing.Pid, now);
        Portals?.Resume(outgoing.Pid, now);
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
        Mailboxes?.LeaveBehind(outgoing.Pid);
        SyncPoints?.LeaveBehind(outgoing.Pid, outgoing.TargetNode, outgoing.Move);
        Portals?.LeaveBehind(outgoing.Pid);
        Processes[slot].State = ProcessState.Ready;
        int exits = _exits.Count;
        Terminate(slot, 0, diagnostic: null);
        _exits.RemoveRange(exits, _exits.Count - exits);
    }

    /// <summary>
    /// Makes room for a process that is moving here, announced with <paramref name="regionBytes"/> bytes of kernel
    /// state and <paramref name="pageCount"/> user pages: a process slot and a staging area for the kernel state.
    /// Null with the reason when this cluster cannot take it.
    /// </summary>
    public IncomingProcess? Reserve(int pid, int regionBytes, int pageCount, out string? refusal)
    {
        int slot = -1;
        for (int s = 0; s < KernelConstants.MaxProcesses && slot < 0; s++)
        {
            slot = Processes[s].State == ProcessState.Free ? s : -1;
        }

        if (slot < 0)
        {
            refusal = $"{Cluster.Name}: all {KernelConstants.MaxProcesses} process slots are taken";
            return null;
        }

        // The frames of the pages and of their page tables (one leaf table per 4 MB, the root); kernel stacks come later.
        int tables = 2 + (pageCount / 1024);
        if (Frames.FreeCount < pageCount || KernelPages.FreeCount < tables + ((regionBytes + (int)KernelConstants.PageSize - 1) / (int)KernelConstants.PageSize))
        {
            // Refusals travel back in a migration message, which holds 94 bytes of text: keep them short.
            refusal = $"{Cluster.Name}: no memory for process {pid}: {pageCount} user pages ({Frames.FreeCount} free), kernel pages ({KernelPages.FreeCount} free)";
            return null;
        }

        uint[] staging = AllocateStaging(regionBytes)!;
        ref ProcessRecord record = ref Processes[slot];
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
            refusal = $"{Cluster.Name}: {e.Message}";
            return false;
        }

        ProcessSnapshot snapshot = incoming.Snapshot;
        if (snapshot.Record.Pid != incoming.Pid)
        {
            refusal = $"{Cluster.Name}: the kernel state that arrived is of process {snapshot.Record.Pid}, not {incoming.Pid}";
            return false;
        }

        if ((Mailboxes?.CannotAdopt(snapshot.Mailboxes) ?? Portals?.CannotAdopt(snapshot.Record.Pid, incoming.Source, snapshot.Portals)) is { } ikc)
        {
            refusal = $"{Cluster.Name}: {ikc}";
            return false;
        }

        if (Ikc is not null && IkcRoomShort(incoming.Slot, snapshot) is { } shortOf)
        {
            refusal = $"{Cluster.Name}: {shortOf}";
            return false;
        }

        AddressSpace? space = AddressSpace.Create(_memory, KernelPages, Frames);
        if (space is null)
        {
            refusal = $"{Cluster.Name}: no kernel page left for a page table";
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
                refusal = $"{Cluster.Name}: not enough user memory for process {incoming.Pid}";
                return false;
            }
        }

        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            if (snapshot.Threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked && !KernelPages.TryAllocate(out stacks[t]))
            {
                foreach (uint stack in stacks.Where(s => s != 0))
                {
                    KernelPages.Free(stack);
                }

                space.Destroy();
                refusal = $"{Cluster.Name}: no kernel page left for the stacks of process {incoming.Pid}";
                return false;
            }
        }

        _spaces[incoming.Slot] = space;
        incoming.Frames = frames;
        incoming.KernelStacks = stacks;
        refusal = null;
        return true;
    }

    /// <summary>
    /// Every region of an incoming process has arrived: its kernel state goes into this kernel's tables (the UArea, or
    /// the scattered tables), its contexts onto the new kernel stacks, its mailboxes into the table; its threads are
    /// ready at <paramref name="readyAt"/>, spread over this cluster's cores.
    /// </summary>
    public ulong Restore(IncomingProcess incoming, ulong start, ulong copyCycles)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ProcessSnapshot snapshot = incoming.Snapshot ?? throw new InvalidOperationException("kernel bug: restore before the kernel state arrived");
        int slot = incoming.Slot;
        FreeStaging(incoming.Staging);
        foreach (uint frame in incoming.Frames)
        {
            Bus.InvalidateCode(frame / KernelConstants.PageSize);
        }

        int[] mailboxes = Mailboxes?.Adopt(slot, snapshot.Mailboxes) ?? [];
        int[] portals = Portals?.Adopt(slot, snapshot.Record.Pid, snapshot.Portals) ?? [];
        int[] syncs = SyncPoints?.Adopt(slot, snapshot.Record.Pid, snapshot.Control.Moves, snapshot.SyncPoints) ?? [];

        // Putting the state into the tables is the master core's work, through its D$ (see Freeze).
        Hart master = Master;
        ulong stalls = master.Cycles;
        State.Serving = master;
        TouchIkc(mailboxes, Unsafe.SizeOf<MailboxEntry>(), write: true);
        TouchIkc(portals, Unsafe.SizeOf<PortalEntry>(), write: true);
        TouchIkc(syncs, Unsafe.SizeOf<SyncEntry>(), write: true);
        State.Clear(slot);
        ref ProcessRecord record = ref Processes[slot];
        record = snapshot.Record;
        record.State = ProcessState.Ready;
        AddressSpace space = Space(slot);
        State.PageTable(slot, write: true).Root = space.Root;
        State.RunQueue(slot, write: true) = snapshot.RunQueue;
        State.Control(slot, write: true) = snapshot.Control;
        for (int i = 0; i < KernelConstants.MaxSyncObjects; i++)
        {
            State.Mutex(slot, i, write: true) = snapshot.Mutexes[i];
            State.Semaphore(slot, i, write: true) = snapshot.Semaphores[i];
            State.Condition(slot, i, write: true) = snapshot.Conditions[i];
        }

        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            State.Join(slot, t, write: true) = snapshot.Joins[t];
            State.Return(slot, t, write: true) = snapshot.Returns[t];
            ref ThreadStacks threadStacks = ref State.Stacks(slot, t, write: true);
            threadStacks.KernelStack = incoming.KernelStacks[t];
            threadStacks.UserStackTop = snapshot.UserStackTops[t];
            ref ThreadEntry thread = ref State.Thread(slot, t, write: true);
            thread = snapshot.Threads[t];
            int waitedOn = thread.WaitObject;
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind is WaitKind.MailboxRead or WaitKind.MailboxAsync)
            {
                // A mailbox it waits on has a new place in this node's table.
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
                Context(slot, t, write: true) = snapshot.Contexts[t];
                thread.Core = Scheduler.LeastLoadedCore();
            }
        }

        State.Serving = null;
        ulong readyAt = start + copyCycles + (master.Cycles - stalls);
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            if (incoming.KernelStacks[t] != 0)
            {
                ref ThreadEntry thread = ref State.Thread(slot, t);
                thread.ReadyAt = Math.Max(thread.ReadyAt, readyAt);
            }
        }

        Mailboxes?.Resume(record.Pid, readyAt);
        SyncPoints?.Resume(record.Pid, readyAt);
        Portals?.Resume(record.Pid, readyAt);
        return readyAt;
    }

    /// <summary>A process moved from node <paramref name="from"/> to <paramref name="to"/> with the portals <paramref name="moved"/>: re-pair the portals here.</summary>
    public void PortalPeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now) =>
        Portals?.PeerMoved(pid, from, to, move, moved, now);

    /// <summary>The move of an incoming process failed: gives back everything reserved for it.</summary>
    public void Discard(IncomingProcess incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        FreeStaging(incoming.Staging);
        foreach (uint stack in incoming.KernelStacks.Where(s => s != 0))
        {
            KernelPages.Free(stack);
        }

        _spaces[incoming.Slot]?.Destroy();
        _spaces[incoming.Slot] = null;
        Processes[incoming.Slot] = default;
    }

    /// <summary>Sends a kernel message to the kernel port of NoC node <paramref name="node"/>; false when nobody listens there.</summary>
    public bool SendKernelMessage(int node, ReadOnlySpan<byte> body) => Mailboxes?.SendRaw(node, KernelConstants.KernelPort, body) ?? false;

    /// <summary>Where the migration messages that reach this kernel's port go (the cluster's migration daemon).</summary>
    public IMigrationEndpoint? MigrationEndpoint { get; set; }

    public void AnnounceRelocation(int pid) => Names?.Relocated(pid);

    /// <summary>Drops the forward entries process <paramref name="pid"/> left here (it ended, wherever it was).</summary>
    public void ForgetForwards(int pid)
    {
        Mailboxes?.ForgetForwards(pid);
        SyncPoints?.ForgetForwards(pid);
        Portals?.ForgetForwards(pid);
    }

    /// <summary>Messages sent on by this cluster's forward entries.</summary>
    public int ForwardedMessages => Mailboxes?.Forwarded ?? 0;

    /// <summary>Counts the accesses to IKC entries <paramref name="ids"/> (their first <paramref name="size"/> bytes) in the serving core's D$.</summary>
    private void TouchIkc(IEnumerable<int> ids, int size, bool write)
    {
        foreach (int id in ids)
        {
            State.Touch(TLayout.IkcDescriptor(State.Plan, id), size, write);
        }
    }

    /// <summary>Where the IKC descriptor table is: each process's part in its User Area and the node's entries (UArea), or one table (Scattered).</summary>
    private static Placement[] IkcPlacements(in KernelDataPlan plan)
    {
        var placements = new List<Placement>();
        if (TLayout.Kind == ProcessLayoutKind.UArea)
        {
            for (int p = 0; p < plan.IkcProcesses; p++)
            {
                int first = p * KernelConstants.IkcDescriptorsPerProcess;
                placements.Add(new Placement($"uarea[{p}].{nameof(UArea.Ikc)}", TLayout.IkcDescriptor(plan, first), KernelConstants.IkcDescriptorsPerProcess * IkcEntry.Size, nameof(IkcEntry), KernelConstants.IkcDescriptorsPerProcess));
            }
        }

        placements.AddRange(plan.Placements.Where(p => p.ElementType == nameof(IkcEntry)));
        return [.. placements];
    }

    /// <summary>Why the IKC table has no room for the descriptors of <paramref name="snapshot"/> in slot <paramref name="slot"/>, or null.</summary>
    private string? IkcRoomShort(int slot, ProcessSnapshot snapshot)
    {
        int needed = snapshot.Mailboxes.Count + snapshot.Portals.Count + snapshot.SyncPoints.Count;

        // Under Scattered, a forward or relay the process left here is taken back in place; under UArea it moves into the User Area.
        int reused = TLayout.Kind == ProcessLayoutKind.Scattered
            ? Mailboxes!.Reused(snapshot.Mailboxes) + SyncPoints!.Reused(snapshot.Record.Pid, snapshot.SyncPoints)
            : 0;
        int free = Ikc!.FreeCount(slot);
        return free + reused < needed ? $"{free} free IKC entries for process {snapshot.Record.Pid}, it needs {needed}" : null;
    }

    private int FrozenSlot(int pid)
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (Processes[slot].State == ProcessState.Frozen && Processes[slot].Pid == pid)
            {
                return slot;
            }
        }

        throw new InvalidOperationException($"{Cluster.Name}: kernel bug: process {pid} is not frozen here");
    }

    private uint[]? AllocateStaging(int bytes)
    {
        var pages = new uint[Math.Max(1, (bytes + (int)KernelConstants.PageSize - 1) / (int)KernelConstants.PageSize)];
        for (int i = 0; i < pages.Length; i++)
        {
            if (!KernelPages.TryAllocate(out pages[i]))
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
            KernelPages.Free(page);
        }
    }

    /// <summary>Posts the caller's request to move its process to the cluster of <paramref name="node"/> to this cluster's daemon, and parks it until the move ends.</summary>
    internal CallResult RequestMigration(int slot, int tid, int node)
    {
        if (MigrationEndpoint is not { } daemon)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        if (!daemon.Request(Processes[slot].Pid, node))
        {
            return CallResult.Error(Errno.EINVAL);
        }

        Block(slot, tid, WaitKind.Migration, node);
        return CallResult.Blocked;
    }

    public void CompleteMigrationRequest(int pid, int result)
    {
        int slot = Processes.SlotOf(pid);
        for (int t = 0; slot >= 0 && t < KernelConstants.MaxThreads; t++)
        {
            ThreadEntry thread = State.Thread(slot, t);
            if (thread.State == ThreadStatus.Blocked && thread.WaitKind == WaitKind.Migration)
            {
                Wake(slot, t, result, thread.ReadyAt);
            }
        }
    }

    /// <summary>Ends process <paramref name="slot"/> with <paramref name="status"/>, freeing every thread and page it held.</summary>
    internal void Terminate(int slot, int status, string? diagnostic)
    {
        ref ProcessRecord process = ref Processes[slot];
        State.Serving = null;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ref ThreadEntry thread = ref State.Thread(slot, t);
            if (thread.State != ThreadStatus.Free && State.Stacks(slot, t).KernelStack != 0)
            {
                KernelPages.Free(State.Stacks(slot, t).KernelStack);
            }
        }

        Mailboxes?.CloseAll(process.Pid);
        SyncPoints?.CloseAll(process.Pid);
        Portals?.CloseAll(process.Pid, _scheduler?.Now ?? 0);
        uint root = State.PageTable(slot).Root;
        Space(slot).Destroy();
        _spaces[slot] = null;
        for (int c = 0; c < _harts.Length; c++)
        {
            if (_activeRoot[c] == root)
            {
                _harts[c].Mmu.UseBare();
                _activeRoot[c] = 0;
            }
        }

        State.Clear(slot);
        process.State = ProcessState.Exited;
        process.ExitStatus = status;
        _exits.Add(new ProcessExit(process.Pid, status, diagnostic));
        process.State = ProcessState.Free;
    }

    private void Kill(int slot, int tid, int core, RunResult trap)
    {
        ref ProcessRecord process = ref Processes[slot];
        string what = FaultReport.Describe(trap.Cause);
        if (trap.Cause is TrapCause.LoadPageFault or TrapCause.StorePageFault)
        {
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                uint top = State.Stacks(slot, t).UserStackTop;
                uint bottom = top - (t == 0 ? KernelConstants.MainStackBytes : KernelConstants.ThreadStackBytes);
                if (top != 0 && trap.Tval < bottom && trap.Tval >= bottom - (KernelConstants.GuardPages * KernelConstants.PageSize))
                {
                    what = $"stack overflow into the guard page of thread {t}";
                }
            }
        }

        string address = trap.Cause == TrapCause.IllegalInstruction ? $"instruction=0x{trap.Tval:x8}" : $"address=0x{trap.Tval:x8}";
        string diagnostic =
            $"{Cluster.Name}: process {process.Pid} thread {tid} killed: {what} at pc=0x{trap.Pc:x8} {address} (core {core}, cycle {_harts[core].Cycles})";
        Terminate(slot, FaultReport.ExitStatus(trap.Cause), diagnostic);
    }

    public int FailWaitsOnEndedPeers(Func<int, bool> nodeHasProcess)
    {
        ArgumentNullException.ThrowIfNull(nodeHasProcess);
        int answered = 0;
        ulong now = _scheduler?.Now ?? 0;
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            for (int t = 0; Processes.IsLive(slot) && t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = State.Thread(slot, t);
                if (thread.State == ThreadStatus.Blocked && WaitsOnEndedPeer(thread, nodeHasProcess))
                {
                    if (thread.WaitKind is WaitKind.PortalRead or WaitKind.PortalWrite)
                    {
                        // The hardware gives back what it held for the transfer that will not happen.
                        Portals!.Abandon(thread.WaitObject, slot, t, now);
                    }

                    Wake(slot, t, -Errno.ECONNRESET, now);
                    answered++;
                }
            }
        }

        return answered;
    }

    private bool WaitsOnEndedPeer(in ThreadEntry thread, Func<int, bool> nodeHasProcess)
    {
        switch (thread.WaitKind)
        {
            case WaitKind.PortalRead or WaitKind.PortalWrite:
                int peer = Portals?.PeerOf(thread.WaitObject) ?? -1;
                return peer >= 0 && !nodeHasProcess(peer);
            case WaitKind.SyncWait:
                if (SyncPoints is null)
                {
                    return false;
                }

                for (int i = 0; i < SyncPoints.MemberCount(thread.WaitObject); i++)
                {
                    int node = SyncPoints.Member(thread.WaitObject, i);
                    if (node != Cluster.NocNodes[0] && !nodeHasProcess(node))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// No thread is ready: every live process has only blocked threads, and nothing can wake them.
    /// Each such process is killed with who waits on whom.
    /// </summary>
    public void KillDeadlocked()
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (!Processes.IsLive(slot))
            {
                continue;
            }

            var waits = new StringBuilder();
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                ThreadEntry thread = State.Thread(slot, t);
                if (thread.State != ThreadStatus.Blocked)
                {
                    continue;
                }

                if (waits.Length > 0)
                {
                    waits.Append("; ");
                }

                waits.Append($"thread {t} {DescribeWait(slot, thread)}");
            }

            Terminate(slot, DeadlockStatus, $"{Cluster.Name}: process {Processes[slot].Pid} killed: deadlock: {waits}");
        }
    }

    /// <summary>Exit status of a process killed for a deadlock: 128 + SIGKILL, as if it had been killed from outside.</summary>
    public const int DeadlockStatus = 137;

    private string DescribeWait(int slot, in ThreadEntry thread) => thread.WaitKind switch
    {
        WaitKind.Join => $"joins thread {thread.WaitObject}",
        WaitKind.Mutex => $"waits for mutex {thread.WaitObject} (held by thread {State.Mutex(slot, thread.WaitObject).Owner})",
        WaitKind.Semaphore => $"waits on semaphore {thread.WaitObject}",
        WaitKind.Condition => $"waits on condition {thread.WaitObject}",
        WaitKind.Sleep => "sleeps",
        WaitKind.MailboxRead => $"waits for a message on mailbox {thread.WaitObject}",
        WaitKind.MailboxWrite => $"waits for its message on mailbox {thread.WaitObject} to be delivered",
        WaitKind.Service => "waits for a multikernel service (name or spawn)",
        WaitKind.SyncWait => $"waits on sync point {thread.WaitObject}",
        WaitKind.PortalRead => $"waits to read from portal {thread.WaitObject}",
        WaitKind.MailboxAsync => $"waits for the asynchronous operation on mailbox {thread.WaitObject}",
        WaitKind.PortalAsync => $"waits for the asynchronous operation on portal {thread.WaitObject}",
        WaitKind.Migration => $"waits to move to node {thread.WaitObject}",
        WaitKind.PortalWrite => $"waits for its write on portal {thread.WaitObject} to be delivered",
        WaitKind.SyncSignal => $"waits for its signal on sync point {thread.WaitObject} to leave",
        _ => "waits",
    };

    private int FreeSlot()
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (Processes[slot].State == ProcessState.Free)
            {
                return slot;
            }
        }

        throw new KernelException($"{Cluster.Name}: all {KernelConstants.MaxProcesses} process slots are taken");
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
