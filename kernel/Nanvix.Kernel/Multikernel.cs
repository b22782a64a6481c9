using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Services;

namespace Nanvix.Kernel;

/// <summary>
/// The whole processor running: a microkernel on every compute cluster that has work, one sequence of process
/// ids, and one deterministic loop over all clusters and the NoC. The loop always advances whatever comes first in
/// simulated time — the next quantum of any cluster or the next NoC event — ties going to the NoC, then to the
/// lowest cluster. When nothing can run and no event is pending, every process left is deadlocked and is killed
/// with who waits on whom.
/// </summary>
public sealed class Multikernel
{
    private readonly IClusterKernel?[] _kernels;
    private readonly Func<ICluster, IConsole> _consoleOf;
    private readonly List<ClusterExit> _exits = [];
    private readonly List<MigrationReport> _migrations = [];
    private readonly List<MigrationTicket> _tickets = [];
    private readonly Dictionary<int, Queue<MigrationTicket>> _pending = [];
    private readonly List<int> _servedPids = [];
    private readonly MigrationDaemon?[] _daemons;

    /// <summary>How many exits of each cluster's kernel are in <see cref="_exits"/> already.</summary>
    private readonly int[] _collected;

    public Multikernel(IProcessor processor, Func<ICluster, IConsole> consoleOf, ProcessLayoutKind layout = ProcessLayoutKind.UArea, bool cache = false)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(consoleOf);
        Processor = processor;
        Layout = layout;
        Cache = cache;
        _consoleOf = consoleOf;
        _kernels = new IClusterKernel?[processor.Clusters.Count];
        _daemons = new MigrationDaemon?[processor.Clusters.Count];
        _collected = new int[processor.Clusters.Count];
        if (ServiceNodes.Name(processor) >= 0)
        {
            Names = new NameService(processor);
        }

        if (processor.Clusters.Any(c => c.Kind == ClusterKind.IO && c.NocNodes.Count > 1))
        {
            Echo = new EchoService(processor);
        }

        if (ServiceNodes.Spawn(processor) >= 0)
        {
            Spawner = new SpawnService(processor, Kernel);
        }
    }

    /// <summary>The spawn service on IO0's third node (null on a machine without one).</summary>
    public SpawnService? Spawner { get; }

    /// <summary>The echo service on IO0's second node (null on a machine without one).</summary>
    public EchoService? Echo { get; }

    /// <summary>The name service on IO0 (null on a machine without an I/O cluster).</summary>
    public NameService? Names { get; }

    public IProcessor Processor { get; }

    public ProcessLayoutKind Layout { get; }

    public bool Cache { get; }

    /// <summary>How the cores of every cluster booted from now on execute (<see cref="HartEngine.Fast"/> unless set).</summary>
    public HartEngine Engine { get; init; }

    /// <summary>
    /// With the cache model on, whether every kernel booted names its misses (<c>--annotate</c>): its kernel D$ misses
    /// by address and structure (<see cref="KernelMemory.Misses"/>), its cores' user misses by pid and pc
    /// (<see cref="IClusterKernel.UserMisses"/>).
    /// </summary>
    public bool Annotate { get; init; }

    /// <summary>Unique process ids across the processor.</summary>
    public ProcessIds Pids { get; } = new();

    /// <summary>Processes that ended, with their cluster, in the order they ended.</summary>
    public IReadOnlyList<ClusterExit> Exits => _exits;

    /// <summary>With the cache model on, every compute cluster's I$ instead of the one its spec gives (<c>--icache</c>); null for the spec's.</summary>
    public Nanvix.Arch.Cache.CacheGeometry? InstructionCache { get; init; }

    /// <summary>As <see cref="InstructionCache"/>, for the D$ (<c>--dcache</c>).</summary>
    /// <summary>Bytes every compute cluster's kernel leaves between User Areas (UArea layout; whole cache lines).</summary>
    public int UAreaGap { get; init; }

    public Nanvix.Arch.Cache.CacheGeometry? DataCache { get; init; }

    /// <summary>Told of every quantum of every kernel, those booted later included (a trace); null for none.</summary>
    public IQuantumObserver? Observer
    {
        get => _observer;
        set
        {
            _observer = value;
            foreach (IClusterKernel kernel in Kernels)
            {
                kernel.Observer = value;
            }
        }
    }

    private IQuantumObserver? _observer;

    /// <summary>The kernels booted so far, in cluster order.</summary>
    public IEnumerable<IClusterKernel> Kernels => _kernels.OfType<IClusterKernel>();

    /// <summary>The kernel of <paramref name="cluster"/>, booted on first use; only compute clusters run programs.</summary>
    public IClusterKernel Kernel(ICluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Kind != ClusterKind.Compute)
        {
            throw new ArgumentException($"{cluster.Name} is an I/O cluster; programs run on compute clusters");
        }

        if (_kernels[cluster.Id] is { } booted)
        {
            return booted;
        }

        IClusterKernel kernel = ClusterKernel.Create(cluster, Processor.Spec.FrequencyHz, _consoleOf(cluster), Layout, Pids, Processor, UAreaGap);
        if (Cache)
        {
            // The caches of the machine's cluster, as its spec says (not the MPPA-256's on every machine).
            ClusterSpec spec = Processor.Spec.Clusters[cluster.Id];
            kernel.EnableCaches(InstructionCache ?? spec.InstructionCache, DataCache ?? spec.DataCache);
        }

        kernel.UseEngine(Engine);
        kernel.Observer = Observer;
        if (Cache && Annotate)
        {
            kernel.KernelData.Misses = new KernelMissMap();
            kernel.UserMisses = new UserMissLog();
        }

        _kernels[cluster.Id] = kernel;
        _daemons[cluster.Id] = new MigrationDaemon(kernel, Processor, MigrationEnded, ticket => Enqueue(ticket));
        return kernel;
    }

    /// <summary>Starts <paramref name="image"/> on <paramref name="cluster"/>; returns its pid.</summary>
    public int Spawn(ICluster cluster, ElfImage image, IReadOnlyList<string> arguments) => Kernel(cluster).Spawn(image, arguments);

    /// <summary>The migrations done so far, in the order they ended.</summary>
    public IReadOnlyList<MigrationReport> Migrations => _migrations;

    /// <summary>Every migration asked for, in the order asked, with where it stands.</summary>
    public IReadOnlyList<MigrationTicket> Tickets => _tickets;

    /// <summary>
    /// Asks to move process <paramref name="pid"/> to <paramref name="target"/> at the first quantum boundary of its
    /// cluster at or after cycle <paramref name="notBefore"/> (the protocol is <see cref="MigrationDaemon"/>'s). The
    /// ticket says what became of it: refused at once for an unknown or ended process or a cluster that runs no
    /// programs; tried again at the next boundary, and at least every MigrationDaemon.RetryCycles, while a thread is inside a NoC
    /// operation (for at most MigrationDaemon.SettleLimitCycles); refused by the target when
    /// it cannot take the process (which then goes on where it was); done with a report.
    /// </summary>
    public MigrationTicket RequestMigration(int pid, ICluster target, ulong notBefore = 0) => RequestMigration(pid, target, notBefore, MigrationMode.Stop);

    /// <summary>
    /// As <see cref="RequestMigration(int, ICluster, ulong)"/>, copying the process the way <paramref name="mode"/> says,
    /// with at most <paramref name="precopyRounds"/> pre-copy rounds (0: <see cref="MigrationDaemon.DefaultPrecopyRounds"/>).
    /// </summary>
    public MigrationTicket RequestMigration(int pid, ICluster target, ulong notBefore, MigrationMode mode, int precopyRounds = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Enqueue(new MigrationTicket(pid, target, notBefore, byProcess: false, mode)
        {
            PrecopyRounds = precopyRounds > 0 ? precopyRounds : MigrationDaemon.DefaultPrecopyRounds,
        });
    }

    /// <summary>Lists a move asked for (by the host, or by the process through its cluster's daemon) and queues it behind the process's other moves.</summary>
    private MigrationTicket Enqueue(MigrationTicket ticket)
    {
        int pid = ticket.Pid;
        ICluster target = ticket.Target;
        _tickets.Add(ticket);
        string? refusal = null;
        if (target.Kind != ClusterKind.Compute)
        {
            refusal = $"{target.Name} is an I/O cluster; programs run on compute clusters";
        }
        else if (_exits.FirstOrDefault(e => e.Exit.Pid == pid) is { } ended)
        {
            refusal = $"process {pid} already ended (on {ended.Cluster})";
        }
        else if (!Kernels.Any(k => k.HasProcess(pid)) && DaemonOf(pid) is null)
        {
            refusal = $"no process {pid} runs now";
        }

        if (refusal is not null)
        {
            Refuse(ticket, refusal, Processor.Scheduler.Now);
            if (ticket.ByProcess)
            {
                foreach (IClusterKernel kernel in Kernels)
                {
                    kernel.CompleteMigrationRequest(pid, -Errno.EBUSY);
                }
            }
        }
        else if (_pending.TryGetValue(pid, out Queue<MigrationTicket>? queue))
        {
            queue.Enqueue(ticket);
        }
        else
        {
            _pending[pid] = new Queue<MigrationTicket>([ticket]);
        }

        return ticket;
    }

    /// <summary>The daemon process <paramref name="pid"/> is leaving from, or null.</summary>
    internal MigrationDaemon? DaemonOf(int pid)
    {
        foreach (MigrationDaemon? daemon in _daemons)
        {
            if (daemon is not null && daemon.IsMoving(pid))
            {
                return daemon;
            }
        }

        return null;
    }

    /// <summary>A daemon finished a move it took (done or called off).</summary>
    private void MigrationEnded(MigrationTicket ticket)
    {
        if (ticket.State == MigrationState.Done)
        {
            _migrations.Add(ticket.Report!);
        }
    }

    private void Refuse(MigrationTicket ticket, string refusal, ulong now)
    {
        ticket.State = MigrationState.Refused;
        ticket.Refusal = refusal;
        ticket.Cycle = now;
    }

    /// <summary>
    /// Starts the moves waiting for a process of <paramref name="kernel"/>, now that one of its quanta ended: the first
    /// move asked for each process (the moves of one process go one after another, in the order asked).
    /// </summary>
    private void ServeTickets(IClusterKernel kernel)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        ulong now = Math.Max(kernel.Statistics.Cycles, Processor.Scheduler.Now);
        MigrationDaemon daemon = _daemons[kernel.Cluster.Id]!;
        _servedPids.Clear();
        foreach ((int pid, Queue<MigrationTicket> queue) in _pending)
        {
            MigrationTicket ticket = queue.Peek();
            if (!daemon.CanTake || !kernel.HasProcess(pid) || now < ticket.NotBefore)
            {
                continue;
            }

            // The ticket is the daemon's from now on: it freezes the process (or waits for it to settle) and moves it.
            _servedPids.Add(pid);
            if (ticket.Target.Id == kernel.Cluster.Id)
            {
                Refuse(ticket, $"process {pid} already runs on {ticket.Target.Name}", now);
                kernel.CompleteMigrationRequest(pid, 0);
            }
            else
            {
                Kernel(ticket.Target);
                daemon.Take(ticket, now);
            }
        }

        foreach (int pid in _servedPids)
        {
            Queue<MigrationTicket> queue = _pending[pid];
            queue.Dequeue();
            if (queue.Count == 0)
            {
                _pending.Remove(pid);
            }
        }
    }

    /// <summary>Runs until every process on every cluster has ended.</summary>
    public IReadOnlyList<ClusterExit> RunToCompletion()
    {
        RunUntil(static () => false);
        return _exits;
    }

    /// <summary>
    /// Runs until every process on every cluster has ended, or until <paramref name="stop"/>, asked after every step,
    /// says to stop (a run budget, an interrupt); true when every process ended. The processes left are not touched:
    /// the caller reports them, and may run on.
    /// </summary>
    public bool RunUntil(Func<bool> stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        while (Step())
        {
            Collect(_collected);
            if (stop())
            {
                return false;
            }
        }

        Collect(_collected);
        return true;
    }

    /// <summary>Advances the earliest thing in simulated time; false when every process has ended.</summary>
    public bool Step()
    {
        // The loop of the whole simulation: plain loops over the arrays, nothing allocated per step.
        IClusterKernel? next = null;
        ulong nextStart = ulong.MaxValue;
        bool anyLive = false;
        foreach (MigrationDaemon? daemon in _daemons)
        {
            anyLive |= daemon is { Busy: true };
        }

        foreach (IClusterKernel? kernel in _kernels)
        {
            if (kernel is null)
            {
                continue;
            }

            anyLive |= kernel.HasLiveProcesses;
            if (kernel.HasLiveProcesses && kernel.TryPeek(out ulong start) && start < nextStart)
            {
                next = kernel;
                nextStart = start;
            }
        }

        if (!anyLive)
        {
            return false;
        }

        if (Processor.Scheduler.TryPeek(out ulong eventCycle) && (next is null || eventCycle <= nextStart))
        {
            Processor.Scheduler.Step();
            return true;
        }

        if (next is not null)
        {
            // A move's host time is the host's work for it: the quanta that run meanwhile are not part of it.
            PauseMoves(true);
            next.Step();
            PauseMoves(false);
            _daemons[next.Cluster.Id]!.Poll(Math.Max(next.Statistics.Cycles, Processor.Scheduler.Now));
            ServeTickets(next);
            return true;
        }

        // Nothing can move. Threads waiting on a peer whose process has ended get an error first; what is left after
        // that waits on something no one will ever do, and is killed as a deadlock.
        int answered = 0;
        foreach (IClusterKernel kernel in Kernels)
        {
            answered += kernel.FailWaitsOnEndedPeers(NodeHasProcess);
        }

        if (answered > 0)
        {
            return true;
        }

        foreach (IClusterKernel kernel in Kernels)
        {
            if (kernel.HasLiveProcesses)
            {
                kernel.KillDeadlocked();
            }
        }

        return true;
    }

    private void PauseMoves(bool pause)
    {
        foreach (MigrationDaemon? daemon in _daemons)
        {
            if (daemon?.Moving is { } ticket)
            {
                if (pause)
                {
                    ticket.Watch.Stop();
                }
                else
                {
                    ticket.Watch.Start();
                }
            }
        }
    }

    /// <summary>True when the cluster that owns NoC node <paramref name="node"/> has a live process.</summary>
    private bool NodeHasProcess(int node)
    {
        ICluster? cluster = Processor.Clusters.FirstOrDefault(c => c.NocNodes.Contains(node));
        return cluster is not null && _kernels[cluster.Id] is { HasLiveProcesses: true };
    }

    private void Collect(int[] seen)
    {
        for (int c = 0; c < _kernels.Length; c++)
        {
            if (_kernels[c] is { } kernel)
            {
                for (; seen[c] < kernel.Exits.Count; seen[c]++)
                {
                    int pid = kernel.Exits[seen[c]].Pid;
                    _exits.Add(new ClusterExit(kernel.Cluster.Name, kernel.Exits[seen[c]]));
                    Names?.Forget(pid);
                    foreach (IClusterKernel other in Kernels)
                    {
                        other.ForgetForwards(pid);
                    }

                    foreach (MigrationDaemon? daemon in _daemons)
                    {
                        daemon?.ForgetPages(pid);
                    }

                    if (_pending.Remove(pid, out Queue<MigrationTicket>? queue))
                    {
                        foreach (MigrationTicket ticket in queue)
                        {
                            Refuse(ticket, $"process {pid} ended (on {kernel.Cluster.Name}) before it could move", kernel.Statistics.Cycles);
                        }
                    }
                }
            }
        }
    }
}
