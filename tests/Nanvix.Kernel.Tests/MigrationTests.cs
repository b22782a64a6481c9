using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>First slice of process migration: a process moved between clusters finishes as if it had not moved.</summary>
public sealed class MigrationTests
{
    /// <summary>Runs <paramref name="arguments"/> on CC0; after each step in <paramref name="moves"/>, moves it to the given cluster.</summary>
    private static (string Output, IReadOnlyList<ClusterExit> Exits, IReadOnlyList<MigrationReport> Reports) Run(
        ProcessLayoutKind layout, string[] arguments, params (int Step, string Cluster)[] moves)
    {
        using var processor = new Processor(Mppa256.Spec());
        var output = new StringWriter();
        var consoles = new List<PrefixedConsole>();
        var system = new Multikernel(processor, cluster =>
        {
            var console = new PrefixedConsole("P", output, output);
            consoles.Add(console);
            return console;
        }, layout);
        int pid = system.Spawn(processor.Cluster("CC0"), KernelRig.Program(arguments[0]), arguments);
        int step = 0;
        var seen = new List<ClusterExit>();
        foreach ((int at, string cluster) in moves)
        {
            while (step < at && system.Step())
            {
                step++;
            }

            Assert.NotNull(system.Migrate(pid, processor.Cluster(cluster), out string? refusal));
            Assert.Null(refusal);
        }

        IReadOnlyList<ClusterExit> exits = system.RunToCompletion();
        consoles.ForEach(c => c.Flush());
        return (output.ToString(), exits, system.Migrations);
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void A_moved_process_prints_what_it_would_have_printed_and_exits_the_same(ProcessLayoutKind layout)
    {
        (string plain, IReadOnlyList<ClusterExit> plainExits, _) = Run(layout, ["cpu", "3"]);
        (string moved, IReadOnlyList<ClusterExit> movedExits, IReadOnlyList<MigrationReport> reports) = Run(layout, ["cpu", "3"], (40, "CC1"), (90, "CC15"));

        Assert.Equal(plain, moved);
        Assert.Equal(plainExits.Single().Exit.Status, movedExits.Single().Exit.Status);
        Assert.Equal("CC15", movedExits.Single().Cluster);
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(r.SectionBytes > 0 && r.StackBytes > 0 && r.DowntimeCycles > r.TransferCycles));
    }

    [Fact]
    public void A_multithreaded_process_moves_with_its_threads_and_locks()
    {
        (string plain, _, _) = Run(ProcessLayoutKind.UArea, ["threads", "mutex"]);
        (string moved, IReadOnlyList<ClusterExit> exits, _) = Run(ProcessLayoutKind.UArea, ["threads", "mutex"], (30, "CC4"));

        Assert.Equal(plain, moved);
        Assert.Contains("mutex ok", moved);
        Assert.Equal(0, exits.Single().Exit.Status);
    }

    [Fact]
    public void A_process_with_open_mailboxes_is_not_moved_and_goes_on()
    {
        using var processor = new Processor(Mppa256.Spec());
        var system = new Multikernel(processor, cluster => new PrefixedConsole(cluster.Name, TextWriter.Null, TextWriter.Null));
        int pid = system.Spawn(processor.Cluster("CC0"), KernelRig.Program("pingpong"), ["pingpong", "ping", "9", "3", "8"]);
        system.Spawn(processor.Cluster("CC1"), KernelRig.Program("pingpong"), ["pingpong", "pong", "8", "3", "8"]);
        for (int i = 0; i < 20; i++)
        {
            system.Step();
        }

        Assert.Null(system.Migrate(pid, processor.Cluster("CC2"), out string? refusal));
        Assert.Matches("IKC|NoC operation", refusal!);
        Assert.All(system.RunToCompletion(), e => Assert.Equal(0, e.Exit.Status));
    }
}
