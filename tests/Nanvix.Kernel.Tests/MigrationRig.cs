using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>A processor with programs on clusters, for migration tests: every program writes to one output, prefixed "P".</summary>
internal sealed class MigrationRig : IDisposable
{
    private readonly List<PrefixedConsole> _consoles = [];
    private readonly StringWriter _output = new();

    public MigrationRig(ProcessLayoutKind layout = ProcessLayoutKind.UArea, NocTimingMode timing = NocTimingMode.Hardware)
    {
        Processor = new Processor(Mppa256.Spec(), timing);
        System = new Multikernel(Processor, cluster =>
        {
            var console = new PrefixedConsole("P", _output, _output);
            _consoles.Add(console);
            return console;
        }, layout);
    }

    public Processor Processor { get; }

    public Multikernel System { get; }

    public int Spawn(string cluster, params string[] arguments) =>
        System.Spawn(Processor.Cluster(cluster), KernelRig.Program(arguments[0]), arguments);

    /// <summary>Advances the loop <paramref name="steps"/> times (fewer if everything ended); how many it did.</summary>
    public int Step(int steps)
    {
        int done = 0;
        while (done < steps && System.Step())
        {
            done++;
        }

        return done;
    }

    public MigrationTicket Move(int pid, string cluster, ulong notBefore = 0) => System.RequestMigration(pid, Processor.Cluster(cluster), notBefore);

    public (string Output, IReadOnlyList<ClusterExit> Exits) Finish()
    {
        IReadOnlyList<ClusterExit> exits = System.RunToCompletion();
        _consoles.ForEach(c => c.Flush());
        return (_output.ToString(), exits);
    }

    /// <summary>The lines of an output in a fixed order, for programs on several clusters whose lines may interleave differently.</summary>
    public static string Lines(string output) => string.Join('\n', output.Split('\n').Order(StringComparer.Ordinal));

    public void Dispose() => Processor.Dispose();
}
