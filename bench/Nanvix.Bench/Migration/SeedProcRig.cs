using System.Globalization;
using System.Reflection;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Bench.Migration;

/// <summary>
/// The seed's process (user/bin/seedproc.elf, embedded: 342.8 KB of text and data in 86 pages, an 8 KB stack) running
/// <see cref="Rounds"/> rounds on CC0 of a fresh MPPA-256, ready to be moved: the migration benchmark and the
/// migration figure both start from here. The console is one writer for every cluster, without cluster prefixes, so
/// a moved run prints exactly what an unmoved one does.
/// </summary>
public sealed class SeedProcRig : IDisposable
{
    /// <summary>Rounds of seedproc: about 3.6 million instructions, so the middle is well inside the first round.</summary>
    public const int Rounds = 2;

    private readonly StringWriter _output = new();

    public SeedProcRig(NocTimingMode timing, ProcessLayoutKind layout)
    {
        Processor = new Processor(Mppa256.Spec(), timing);
        System = new Multikernel(Processor, _ => new TextWriterConsole(_output, _output, input: null), layout);
        Source = Processor.Cluster("CC0");
        Pid = System.Spawn(Source, ElfImage.Parse(Image, Mppa256.UserBytes), ["seedproc", Rounds.ToString(CultureInfo.InvariantCulture)]);
    }

    public static byte[] Image { get; } = Load();

    public Processor Processor { get; }

    public Multikernel System { get; }

    /// <summary>CC0, where the process starts.</summary>
    public ICluster Source { get; }

    public int Pid { get; }

    /// <summary>What the process printed so far.</summary>
    public string Output => _output.ToString();

    /// <summary>The simulated clock of CC0.</summary>
    public ulong SourceCycles => System.Kernel(Source).Statistics.Cycles;

    /// <summary>Steps the whole processor until CC0's clock reaches <paramref name="cycle"/> (or everything ended).</summary>
    public void RunUntil(ulong cycle)
    {
        IClusterKernel kernel = System.Kernel(Source);
        while (kernel.Statistics.Cycles < cycle && System.Step())
        {
        }
    }

    /// <summary>Runs to the end; returns where and how the process ended.</summary>
    public ClusterExit Finish()
    {
        IReadOnlyList<ClusterExit> exits = System.RunToCompletion();
        return exits.Single(e => e.Exit.Pid == Pid);
    }

    /// <summary>Cycles of CC0 for a whole run that does not move (the middle of the run is half of it).</summary>
    public static ulong UnmovedCycles(NocTimingMode timing, ProcessLayoutKind layout, out string output)
    {
        using var rig = new SeedProcRig(timing, layout);
        ClusterExit exit = rig.Finish();
        if (exit.Exit.Status != 0)
        {
            throw new InvalidOperationException($"seedproc {Rounds} failed with status {exit.Exit.Status}: {rig.Output}");
        }

        output = rig.Output;
        return rig.SourceCycles;
    }

    /// <summary>Asks to move the process to <paramref name="target"/> and steps until the move is done or refused.</summary>
    public MigrationTicket Move(ICluster target)
    {
        MigrationTicket ticket = System.RequestMigration(Pid, target);
        while (ticket.State is MigrationState.Pending or MigrationState.Moving && System.Step())
        {
        }

        return ticket;
    }

    public void Dispose() => Processor.Dispose();

    private static byte[] Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("seedproc.elf")
            ?? throw new InvalidOperationException("seedproc.elf is not embedded in this assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
