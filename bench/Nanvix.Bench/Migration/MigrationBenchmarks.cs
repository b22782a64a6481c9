using BenchmarkDotNet.Attributes;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;

namespace Nanvix.Bench.Migration;

/// <summary>
/// Host time of one migration of the seed's process (seedproc, 362 724 bytes moved) from CC0 to CC1 in hardware
/// timing, under both layouts: each iteration builds a processor and runs seedproc to the middle of its run (not
/// timed); the benchmark asks for the move and steps the whole processor until the ticket is Done. That includes
/// what the simulator does meanwhile: the quantum of the process that ends before the move starts (the move begins
/// at a quantum boundary), the freeze, the NoC events of the manifest, the three portal transfers (whose bytes the
/// NoC copies frame to frame) and the answer, the restore and the eviction. Beside it: that one quantum alone, and
/// the baseline, a plain copy of the same number of bytes between two pinned buffers.
/// </summary>
[Config(typeof(MigrationConfig))]
public class MigrationBenchmarks
{
    /// <summary>Copies per invocation of the baseline: one copy is a few microseconds, too short to time alone.</summary>
    private const int CopiesPerInvocation = 64;

    private const string Target = "CC1";

    private ulong _middle;
    private byte[] _from = [];
    private byte[] _to = [];
    private byte[] _evict = [];
    private SeedProcRig? _rig;

    [Params(ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered)]
    public ProcessLayoutKind Layout { get; set; }

    /// <summary>Finds the middle of the run and the bytes a real move takes, for the baseline.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _middle = SeedProcRig.UnmovedCycles(NocTimingMode.Hardware, Layout, out _) / 2;
        using SeedProcRig rig = Prepared();
        MigrationTicket ticket = rig.Move(rig.Processor.Cluster(Target));
        MigrationReport report = ticket.Report ?? throw new InvalidOperationException($"the move was not done: {ticket}");
        int bytes = checked((int)report.TotalBytes);
        _from = GC.AllocateArray<byte>(bytes, pinned: true);
        _to = GC.AllocateArray<byte>(bytes, pinned: true);
        new Random(42).NextBytes(_from);
        _evict = GC.AllocateArray<byte>(64 * 1024 * 1024, pinned: true);
        Console.WriteLine($"// seedproc CC0 -> {Target}, {Layout}: {report}");
    }

    [IterationSetup(Targets = [nameof(Migrate), nameof(Quantum)])]
    public void PrepareMove()
    {
        _rig = Prepared();
    }

    /// <summary>
    /// As <see cref="PrepareMove"/>, then one round trip CC0 → CC1 → CC0 (not timed): the host has touched CC1's
    /// memory and run the move's code once, as in a long run that moves processes often, instead of a fresh
    /// processor whose target frames the host OS has never mapped.
    /// </summary>
    [IterationSetup(Targets = [nameof(MigrateWarm)])]
    public void PrepareWarmMove()
    {
        _rig = Prepared();
        foreach (string cluster in (string[])[Target, "CC0"])
        {
            MigrationTicket ticket = _rig.Move(_rig.Processor.Cluster(cluster));
            if (ticket.State != MigrationState.Done)
            {
                throw new InvalidOperationException($"the warm-up move was not done: {ticket}");
            }
        }
    }

    [IterationCleanup(Targets = [nameof(Migrate), nameof(MigrateWarm), nameof(Quantum)])]
    public void DisposeMove()
    {
        _rig?.Dispose();
        _rig = null;
    }

    [Benchmark(Description = "migrate seedproc CC0 -> CC1")]
    public MigrationState Migrate()
    {
        SeedProcRig rig = _rig!;
        MigrationTicket ticket = rig.System.RequestMigration(rig.Pid, rig.Processor.Cluster(Target));
        while (ticket.State is MigrationState.Pending or MigrationState.Moving && rig.System.Step())
        {
        }

        return ticket.State == MigrationState.Done ? ticket.State : throw new InvalidOperationException($"the move was not done: {ticket}");
    }

    [Benchmark(Description = "migrate seedproc CC0 -> CC1 (after a round trip)")]
    public MigrationState MigrateWarm() => Migrate();

    /// <summary>Writes 64 MB elsewhere before each cold copy, so that neither buffer is left in the caches (L2 1 MB, L3 32 MB).</summary>
    [IterationSetup(Targets = [nameof(MemcpyCold)])]
    public void EvictCaches() => _evict.AsSpan().Fill((byte)(_evict[0] + 1));

    /// <summary>The same copy with cold caches, as a move's pages are: frames of two cluster memories the loop has not touched lately.</summary>
    [Benchmark(Description = "memcpy of the bytes moved, cold caches")]
    public int MemcpyCold()
    {
        _from.AsSpan().CopyTo(_to);
        return _to[^1];
    }

    [Benchmark(Description = "one quantum of seedproc (no move)")]
    public bool Quantum() => _rig!.System.Step();

    [Benchmark(Baseline = true, OperationsPerInvoke = CopiesPerInvocation, Description = "memcpy of the bytes moved")]
    public int Memcpy()
    {
        for (int i = 0; i < CopiesPerInvocation; i++)
        {
            _from.AsSpan().CopyTo(_to);
        }

        return _to[^1];
    }

    private SeedProcRig Prepared()
    {
        var rig = new SeedProcRig(NocTimingMode.Hardware, Layout);
        rig.RunUntil(_middle);
        return rig;
    }
}
