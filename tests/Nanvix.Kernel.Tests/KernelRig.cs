using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;
using Nanvix.Tests.Shared;

namespace Nanvix.Kernel.Tests;

/// <summary>An MPPA-256 with a kernel on one compute cluster whose console output the test reads.</summary>
internal sealed class KernelRig : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public KernelRig(ProcessLayoutKind layout = ProcessLayoutKind.UArea, string cluster = "CC0")
    {
        Processor = new Processor(Mppa256.Spec());
        Cluster = Processor.Cluster(cluster);
        Kernel = ClusterKernel.Create(Cluster, Mppa256.FrequencyHz, new TextWriterConsole(_output, _error, input: null), layout);
    }

    public Processor Processor { get; }

    public ICluster Cluster { get; }

    public IClusterKernel Kernel { get; }

    public string Output => _output.ToString();

    public string Error => _error.ToString();

    public static ElfImage Program(string name) =>
        ElfImage.Parse(RepositoryFiles.UserProgram(name), Mppa256.UserBytes);

    public int Spawn(string name, params string[] arguments) => Kernel.Spawn(Program(name), [name, .. arguments]);

    /// <summary>Runs <paramref name="name"/> alone to its end.</summary>
    public ProcessExit Run(string name, params string[] arguments)
    {
        int pid = Spawn(name, arguments);
        return Kernel.RunToCompletion().Single(e => e.Pid == pid);
    }

    public void Dispose()
    {
        Processor.Dispose();
    }
}
