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
using Nanvix.Kernel.Images;
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
public sealed class ClusterKernel<TLayout> : IClusterKernel, IEventTarget, IKernelPort
    where TLayout : struct, IProcessLayout
{
    private readonly ClusterMemory _memory;
    private readonly KernelCores _cores;
    private readonly ThreadManager<TLayout> _threads;
    private readonly ProcessManager<TLayout> _processes;
    private readonly OutgoingImages<TLayout> _outgoing;
    private readonly PrecopyPages<TLayout> _precopy;
    private readonly IncomingImages<TLayout> _incoming;
    private readonly StuckThreads<TLayout> _stuck;
    private readonly IkcLayer<TLayout>? _ikc;
    private readonly MigrationRequests<TLayout> _migrations;

    /// <summary>Instructions retired and kernel calls served here, by pid (statistics of this cluster, grown as pids come).</summary>
    private ulong[] _instructionsOf = new ulong[KernelConstants.MaxProcesses];

    private ulong[] _kernelCallsOf = new ulong[KernelConstants.MaxProcesses];
    private readonly CallDispatcher<TLayout> _calls;
    private readonly EventScheduler? _scheduler;

    /// <summary>Where the cores log user misses (<c>--annotate</c>), told the pid of every quantum; null for none.</summary>
    private UserMissLog? _userMisses;

    /// <param name="cluster">The cluster this kernel runs on.</param>
    /// <param name="frequencyHz">Clock of its cores.</param>
    /// <param name="console">Where programs' standard streams go.</param>
    /// <param name="pids">Where process ids come from (shared by the kernels of a processor).</param>
    /// <param name="processor">The processor, for the NoC and its clock; without it the IKC calls answer ENOSYS.</param>
    /// <param name="uareaGap">Bytes left between User Areas (UArea layout only; whole cache lines): a knob for cache-set studies.</param>
    public ClusterKernel(ICluster cluster, long frequencyHz, IConsole console, ProcessIds? pids = null, IProcessor? processor = null, int uareaGap = 0)
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

        // Kernel data at boot: the two page bitmaps, the process table, then the per-process state.
        var data = new KernelData<TLayout>(_memory, cluster.Name, uareaGap);
        Frames = data.Frames;
        KernelPages = data.KernelPages;
        Processes = data.Processes;
        State = data.State;
        KernelDataPlan plan = data.Plan;

        _cores = new KernelCores(cluster.Cores);
        Scheduler = new Scheduler<TLayout>(State, _cores.All, Processes);
        _threads = new ThreadManager<TLayout>(State, Scheduler, _memory);
        _scheduler = processor?.Scheduler;
        int node = cluster.NocNodes.Count > 0 ? cluster.NocNodes[0] : -1;
        _processes = new ProcessManager<TLayout>(cluster.Name, _memory, Processes, State, _threads, Scheduler, _cores, Frames, KernelPages, pids ?? new ProcessIds(), _scheduler, cluster);

        // IKC: the one descriptor table of mailboxes, portals and sync points, where the layout put it (the processes'
        // parts in their User Areas and the node's entries after them, or one global table), a kernel page for
        // unclaimed messages, and the hardware mailbox of the cluster's node, which tells this kernel when messages arrive.
        IkcCallFamilies<TLayout>? ikcCalls = null;
        if (processor is not null)
        {
            if (!KernelPages.TryAllocate(out uint unclaimed))
            {
                throw new InvalidOperationException($"{cluster.Name}: no kernel page for the unclaimed messages");
            }

            var table = new IkcTable<TLayout>(State.Memory, plan);
            IkcTables = IkcPlacements(plan);
            var events = new KernelEventPort(processor.Scheduler, this);
            var mailboxes = new Mailboxes<TLayout>(_threads, _processes, events, _memory, KernelPages, processor.Noc, node, table, unclaimed);
            var names = new ServiceRequests<TLayout>(_threads, _processes, events, mailboxes, node, ServiceNodes.Name(processor), ServiceNodes.Spawn(processor));
            var syncPoints = new SyncPoints<TLayout>(_threads, _processes, events, mailboxes, processor.Noc, node, table);
            var portals = new Portals<TLayout>(_threads, _processes, events, processor.Noc, node, table);
            IMailboxInput hardwareMailbox = processor.Noc.CreateMailbox(node);
            hardwareMailbox.Notify(this, KernelEvent.Of(KernelEventKind.MailboxArrival, 0));
            _ikc = new IkcLayer<TLayout>(table, mailboxes, names, syncPoints, portals, hardwareMailbox, Processes, State);
            _processes.Descriptors = _ikc;
            mailboxes.KernelPort = this;
            ikcCalls = new IkcCallFamilies<TLayout>(
                new KernelMailbox<TLayout>(mailboxes, table, processor.Noc.Spec.Topology),
                new KernelPortal<TLayout>(portals, table, processor.Noc.Spec.Topology, node),
                new KernelSyncPoint<TLayout>(syncPoints, table, _processes),
                new KernelService<TLayout>(names, _processes));
        }

        _outgoing = new OutgoingImages<TLayout>(cluster.Name, _memory, Processes, State, _threads, _processes, _cores, KernelPages, _ikc, _scheduler, KernelCallBuffers.AddPages);
        _precopy = new PrecopyPages<TLayout>(Processes, State, _processes, _cores);
        _incoming = new IncomingImages<TLayout>(cluster.Name, _memory, Processes, State, _threads, _processes, Scheduler, _cores, Frames, KernelPages, cluster, _ikc);
        _stuck = new StuckThreads<TLayout>(cluster.Name, node, Processes, State, _threads, _processes, _ikc, _scheduler);
        _migrations = new MigrationRequests<TLayout>(Processes, _threads);
        var threadCalls = new ThreadCalls<TLayout>(State, _threads, _processes, Scheduler, _cores, KernelPages);
        var syncCalls = new KernelSync<TLayout>(new SyncObjects<TLayout>(State, _threads));
        _calls = new CallDispatcher<TLayout>(
            State, _processes, _cores, Scheduler, _migrations, new KernelProcess<TLayout>(_processes, _cores, frequencyHz, node),
            new KernelConsole<TLayout>(_processes, console), threadCalls, syncCalls, ikcCalls);
    }

    public ICluster Cluster { get; }

    public long FrequencyHz { get; }

    public IConsole Console { get; }

    public ProcessLayoutKind Layout => TLayout.Kind;

    public KernelDataPlan Plan => State.Plan;

    public IReadOnlyList<Placement> IkcTables { get; } = [];

    public IQuantumObserver? Observer { get; set; }

    public PageAllocator Frames { get; }

    public PageAllocator KernelPages { get; }

    public IReadOnlyList<ProcessExit> Exits => _processes.Exits;

    public KernelStatistics Statistics
    {
        get
        {
            (ulong instructions, ulong cycles) = _cores.Totals();
            return new KernelStatistics(instructions, cycles, _calls.Served);
        }
    }

    public bool HasLiveProcesses => _processes.HasLiveProcesses;

    public bool HasProcess(int pid) => Processes.PeekSlotOf(pid) >= 0;

    private ProcessTable Processes { get; }

    private KernelState<TLayout> State { get; }

    public KernelMemory KernelData => State.Memory;

    private Scheduler<TLayout> Scheduler { get; }

    public ICore Core(int core) => _cores[core];

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data) => _cores.EnableCaches(instruction, data);

    public void UseEngine(HartEngine engine) => _cores.UseEngine(engine);

    public UserMissLog? UserMisses
    {
        get => _userMisses;
        set
        {
            _userMisses = value;
            _cores.LogUserMisses(value);
        }
    }

    public int Spawn(ElfImage image, IReadOnlyList<string> arguments) => Spawn(image, arguments, 0);

    public int Spawn(ElfImage image, IReadOnlyList<string> arguments, ulong notBefore)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(arguments);
        return _processes.Spawn(image, arguments, notBefore);
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
        ICore hart = _cores[core];
        int pid = Processes.Peek(slot).Pid;
        ulong retired = hart.Retired;
        ulong served = _calls.Served;
        if (_userMisses is not null)
        {
            _userMisses.Owner = pid;
        }

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

        return Exits;
    }

    /// <summary>A message to this node's kernel port: a move's protocol, a sync point's relay, or an answer of the name or spawn service.</summary>
    void IKernelPort.OnKernelMessage(ReadOnlySpan<byte> body, ulong now)
    {
        if (MigrationMessage.Is(body))
        {
            MigrationEndpoint?.OnMessage(body, now);
        }
        else if (SyncMessage.Is(body))
        {
            _ikc!.SyncPoints.OnMessage(body, now);
        }
        else
        {
            _ikc!.Names.Answer(body, now);
        }
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        // The master core takes a NoC event as an interrupt: its I$ and D$ pay for the handler (with the cache model on).
        State.Serving = _cores.Master;
        State.Memory.Execute(KernelPath.NocEvent);
        _ikc!.OnEvent(KernelEvent.KindOf(argument), KernelEvent.ValueOf(argument), cycle);
        State.Serving = null;
    }

    /// <summary>Runs thread <paramref name="tid"/> of process <paramref name="slot"/> for one quantum on <paramref name="core"/>.</summary>
    [KernelHotPath]
    private void RunQuantum(int core, int slot, int tid)
    {
        ICore hart = _cores[core];
        State.Serving = hart;
        ref ThreadEntry thread = ref State.Thread(slot, tid);
        if (hart.Cycles < thread.ReadyAt)
        {
            hart.Cycles = thread.ReadyAt;
        }

        IQuantumObserver? observer = Observer;
        ulong start = hart.Cycles;
        ulong retired = hart.Retired;
        ulong misses = observer is null ? 0 : _cores.Misses(core);
        int pid = observer is null ? 0 : Processes.Peek(slot).Pid;
        _cores.Activate(core, State.PageTable(slot).Root);
        ref RegisterContext context = ref _threads.Context(slot, tid);
        RunResult result = hart.RunQuantum(ref context, KernelConstants.QuantumInstructions);
        State.Serving = hart;
        State.Touch(_threads.ContextAddress(slot, tid), RegisterContext.Size, write: true);
        ulong userEnd = hart.Cycles;
        if (!result.IsTrap)
        {
            State.Memory.Execute(KernelPath.Preemption);
            Scheduler.Rotate(slot, tid);
            observer?.Quantum(new QuantumRecord(Cluster.Id, core, pid, tid, start, userEnd, userEnd, hart.Retired - retired, -1, -1, _cores.Misses(core) - misses));
            return;
        }

        hart.AddCycles(KernelConstants.TrapCycles);
        int call = -1;
        if (result.Cause == TrapCause.EcallFromUser)
        {
            call = observer is null ? -1 : (int)context.Get(AbiRegister.A7);
            AddressSpace space = _processes.Space(slot);
            uint remote = space.RemotePages == 0 ? 0
                : KernelCallBuffers.FirstRemotePage(space, context.Get(AbiRegister.A7), context.Get(AbiRegister.A0), context.Get(AbiRegister.A1), context.Get(AbiRegister.A2));
            if (remote != 0)
            {
                // A post-copied page the call needs is still on the cluster the process left: the call starts once it is here.
                WaitForPage(slot, tid, remote, hart.Cycles);
            }
            else
            {
                _calls.Serve(core, slot, tid, ref context);
            }
        }
        else if (result.Cause is TrapCause.InstructionPageFault or TrapCause.LoadPageFault or TrapCause.StorePageFault
            && _processes.Space(slot).IsRemote(result.Tval))
        {
            // A post-copied page still on the cluster the process left: the thread waits for it, then runs the instruction again.
            State.Memory.Execute(KernelPath.FaultTrap);
            WaitForPage(slot, tid, result.Tval, hart.Cycles);
        }
        else
        {
            State.Memory.Execute(KernelPath.FaultTrap);
            _processes.Kill(slot, tid, core, result);
        }

        observer?.Quantum(new QuantumRecord(
            Cluster.Id, core, pid, tid, start, userEnd, hart.Cycles, hart.Retired - retired, call, call < 0 ? (int)result.Cause : -1, _cores.Misses(core) - misses));
    }

    /// <summary>Thread <paramref name="tid"/> of <paramref name="slot"/> waits for its page at <paramref name="address"/>, still on the cluster its process left.</summary>
    internal void WaitForPage(int slot, int tid, uint address, ulong now)
    {
        uint page = address & ~(KernelConstants.PageSize - 1);
        _threads.Block(slot, tid, WaitKind.PageFetch, (int)page);
        State.Thread(slot, tid, write: true).ReadyAt = now;
        MigrationEndpoint?.PageFault(Processes[slot].Pid, page, now);
    }

    public bool LandPage(int pid, uint page, uint frame, ulong now) => _incoming.LandPage(pid, page, frame, now);

    public void KillProcess(int pid, int status, string diagnostic)
    {
        int slot = Processes.SlotOf(pid);
        if (slot >= 0)
        {
            _processes.Terminate(slot, status, diagnostic);
        }
    }

    public uint[] DetachPages(OutgoingProcess outgoing, IReadOnlyList<uint> pages) => _outgoing.Detach(outgoing, pages);

    public OutgoingProcess? Freeze(int pid, int targetNode, out string? refusal, out bool retry) => _outgoing.Freeze(pid, targetNode, null, false, out refusal, out retry);

    public OutgoingProcess? Freeze(int pid, int targetNode, IReadOnlyDictionary<uint, uint>? precopied, bool postcopy, out string? refusal, out bool retry) =>
        _outgoing.Freeze(pid, targetNode, precopied, postcopy, out refusal, out retry);

    public bool BeginPostcopy(int pid) => _outgoing.BeginPostcopy(pid);

    public int BeginPrecopy(int pid) => _precopy.Begin(pid);

    public string? WhyCannotMove(int pid, int targetNode) => _outgoing.WhyNeverNow(pid, targetNode);

    public List<(uint Virtual, uint Frame)>? PrecopyDirty(int pid, IReadOnlyDictionary<uint, uint> sent, out ulong cycles) => _precopy.Dirty(pid, sent, out cycles);

    public void PrecopyClean(int pid, List<(uint Virtual, uint Frame)> pages) => _precopy.Clean(pid, pages);

    public void EndPrecopy(int pid) => _precopy.End(pid);

    public bool AllowBatch(IncomingProcess incoming, int pages, out string? refusal) => _incoming.AllowBatch(incoming, pages, out refusal);

    public void BatchLanded(IncomingProcess incoming) => _incoming.BatchLanded(incoming);

    public bool Restage(IncomingProcess incoming, int regionBytes, int pageCount, out string? refusal) => _incoming.Restage(incoming, regionBytes, pageCount, out refusal);

    public void Thaw(OutgoingProcess outgoing, ulong now) => _outgoing.Thaw(outgoing, now);

    public void Evict(OutgoingProcess outgoing) => _outgoing.Evict(outgoing);

    public IncomingProcess? Reserve(int pid, int regionBytes, int pageCount, out string? refusal) => _incoming.Reserve(pid, regionBytes, pageCount, out refusal);

    public bool Map(IncomingProcess incoming, out string? refusal) => _incoming.Map(incoming, out refusal);

    public ulong Restore(IncomingProcess incoming, ulong start, ulong copyCycles) => _incoming.Restore(incoming, start, copyCycles);

    public void Discard(IncomingProcess incoming) => _incoming.Discard(incoming);

    /// <summary>A process moved from node <paramref name="from"/> to <paramref name="to"/> with the portals <paramref name="moved"/>: re-pair the portals here.</summary>
    public void PortalPeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now) =>
        _ikc?.Portals.PeerMoved(pid, from, to, move, moved, now);

    /// <summary>Sends a kernel message to the kernel port of NoC node <paramref name="node"/>; false when nobody listens there.</summary>
    public bool SendKernelMessage(int node, ReadOnlySpan<byte> body) => _ikc?.Mailboxes.SendRaw(node, KernelConstants.KernelPort, body) ?? false;

    /// <summary>Where the migration messages that reach this kernel's port go (the cluster's migration daemon).</summary>
    public IMigrationEndpoint? MigrationEndpoint
    {
        get => _migrationEndpoint;
        set
        {
            _migrationEndpoint = value;
            _migrations.Endpoint = value;
        }
    }

    private IMigrationEndpoint? _migrationEndpoint;

    public void AnnounceRelocation(int pid) => _ikc?.Names.Relocated(pid);

    /// <summary>Drops the forward entries process <paramref name="pid"/> left here (it ended, wherever it was).</summary>
    public void ForgetForwards(int pid) => _ikc?.ForgetForwards(pid);

    /// <summary>Messages sent on by this cluster's forward entries.</summary>
    public int ForwardedMessages => _ikc?.Mailboxes.Forwarded ?? 0;

    public void CompleteMigrationRequest(int pid, int result) => _migrations.Complete(pid, result);

    public int FailWaitsOnEndedPeers(Func<int, bool> nodeHasProcess)
    {
        ArgumentNullException.ThrowIfNull(nodeHasProcess);
        return _stuck.FailWaitsOnEndedPeers(nodeHasProcess);
    }

    public void KillDeadlocked() => _stuck.KillDeadlocked();

    /// <summary>Exit status of a process killed for a deadlock: 128 + SIGKILL, as if it had been killed from outside.</summary>
    public const int DeadlockStatus = StuckThreads<TLayout>.DeadlockStatus;

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
}
