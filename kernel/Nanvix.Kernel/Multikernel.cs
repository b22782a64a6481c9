using Nanvix.Arch.Cache;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Noc;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Layout;
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

    public Multikernel(IProcessor processor, Func<ICluster, IConsole> consoleOf, ProcessLayoutKind layout = ProcessLayoutKind.UArea, bool cache = false)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(consoleOf);
        Processor = processor;
        Layout = layout;
        Cache = cache;
        _consoleOf = consoleOf;
        _kernels = new IClusterKernel?[processor.Clusters.Count];
        if (NameService.NodeOf(processor) >= 0)
        {
            Names = new NameService(processor);
        }

        if (processor.Clusters.Any(c => c.Kind == ClusterKind.IO && c.NocNodes.Count > 1))
        {
            Echo = new EchoService(processor);
        }

        if (SpawnService.NodeOf(processor) >= 0)
        {
            Spawner = new SpawnService(this);
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

    /// <summary>Unique process ids across the processor.</summary>
    public ProcessIds Pids { get; } = new();

    /// <summary>Processes that ended, with their cluster, in the order they ended.</summary>
    public IReadOnlyList<ClusterExit> Exits => _exits;

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

        IClusterKernel kernel = ClusterKernel.Create(cluster, Processor.Spec.FrequencyHz, _consoleOf(cluster), Layout, Pids, Processor);
        if (Cache)
        {
            kernel.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }

        _kernels[cluster.Id] = kernel;
        return kernel;
    }

    /// <summary>Starts <paramref name="image"/> on <paramref name="cluster"/>; returns its pid.</summary>
    public int Spawn(ICluster cluster, ElfImage image, IReadOnlyList<string> arguments) => Kernel(cluster).Spawn(image, arguments);

    /// <summary>The migrations done so far, in order.</summary>
    public IReadOnlyList<MigrationReport> Migrations => _migrations;

    /// <summary>
    /// Moves process <paramref name="pid"/> to <paramref name="target"/> between two quanta: freeze it on its cluster,
    /// send its regions over the NoC (a manifest by mailbox, then one portal transfer per region: sections, stacks,
    /// kernel state, contexts — timed by the NoC model), restore it on the target, then free it on the source. If the
    /// target cannot take it, nothing moves and the process goes on where it was. Returns the report, or null with
    /// the reason.
    /// </summary>
    public MigrationReport? Migrate(int pid, ICluster target, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(target);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        IClusterKernel? source = Kernels.FirstOrDefault(k => k.HasProcess(pid));
        if (source is null)
        {
            refusal = $"no process {pid} runs now";
            return null;
        }

        if (source.Cluster.Id == target.Id)
        {
            refusal = $"process {pid} already runs on {target.Name}";
            return null;
        }

        IClusterKernel destination;
        try
        {
            destination = Kernel(target);
        }
        catch (ArgumentException e)
        {
            refusal = e.Message;
            return null;
        }

        ProcessSnapshot? snapshot = source.Freeze(pid, out refusal);
        if (snapshot is null)
        {
            return null;
        }

        INoc noc = Processor.Noc;
        int hops = noc.Spec.Topology.Hops(source.Cluster.NocNodes[0], target.NocNodes[0]);
        ulong freeze = Math.Max(source.Statistics.Cycles, Processor.Scheduler.Now);
        ulong transfer = noc.ModelCycles(TransferKind.Mailbox, noc.Spec.MailboxPayloadBytes, hops);
        foreach (long bytes in (ReadOnlySpan<long>)[snapshot.SectionBytes, snapshot.StackBytes, snapshot.KernelStateBytes, snapshot.ContextBytes])
        {
            if (bytes > 0)
            {
                transfer += noc.ModelCycles(TransferKind.Portal, (int)bytes, hops);
            }
        }

        // Restoring writes every page and entry once, a word a cycle (the kernel's copy cost).
        ulong restore = (ulong)(snapshot.TotalBytes / 4) * KernelConstants.CopyCyclesPerWord;
        ulong ready = freeze + transfer + restore;
        try
        {
            destination.Restore(snapshot, ready);
        }
        catch (KernelException e)
        {
            refusal = e.Message;
            return null;
        }

        source.Evict(pid);
        watch.Stop();
        var report = new MigrationReport(
            pid,
            source.Cluster.Name,
            target.Name,
            snapshot.SectionBytes,
            snapshot.StackBytes,
            snapshot.KernelStateBytes,
            snapshot.ContextBytes,
            freeze,
            transfer,
            restore,
            ready - freeze,
            (ready - freeze) * 1e6 / Processor.Spec.FrequencyHz,
            watch.Elapsed);
        _migrations.Add(report);
        refusal = null;
        return report;
    }

    /// <summary>Runs until every process on every cluster has ended.</summary>
    public IReadOnlyList<ClusterExit> RunToCompletion()
    {
        var seen = new int[_kernels.Length];
        while (Step())
        {
            Collect(seen);
        }

        Collect(seen);
        return _exits;
    }

    /// <summary>Advances the earliest thing in simulated time; false when every process has ended.</summary>
    public bool Step()
    {
        IClusterKernel? next = null;
        ulong nextStart = ulong.MaxValue;
        bool anyLive = false;
        foreach (IClusterKernel kernel in Kernels)
        {
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
            next.Step();
            ServeMigrationRequests(next);
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

    /// <summary>Moves the processes of <paramref name="kernel"/> that asked to move themselves (kernel call <c>migrate</c>).</summary>
    private void ServeMigrationRequests(IClusterKernel kernel)
    {
        while (kernel.TryTakeMigrationRequest(out int pid, out int node))
        {
            ICluster? target = Processor.Clusters.FirstOrDefault(c => c.Kind == ClusterKind.Compute && c.NocNodes.Contains(node));
            if (target is null)
            {
                kernel.CompleteMigrationRequest(pid, -Errno.EINVAL);
                continue;
            }

            if (target.Id == kernel.Cluster.Id)
            {
                kernel.CompleteMigrationRequest(pid, 0);
                continue;
            }

            if (Migrate(pid, target, out _) is null)
            {
                kernel.CompleteMigrationRequest(pid, -Errno.EBUSY);
                continue;
            }

            Kernel(target).CompleteMigrationRequest(pid, 0);
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
                    _exits.Add(new ClusterExit(kernel.Cluster.Name, kernel.Exits[seen[c]]));
                    Names?.Forget(kernel.Exits[seen[c]].Pid);
                }
            }
        }
    }
}
