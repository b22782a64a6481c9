using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

public sealed class MultikernelTests
{
    private static (Multikernel System, StringWriter Output, Processor Processor) Boot()
    {
        var processor = new Processor(Mppa256.Spec());
        var output = new StringWriter();
        var system = new Multikernel(processor, cluster => new PrefixedConsole(cluster.Name, output, output));
        return (system, output, processor);
    }

    [Fact]
    public void Programs_on_several_clusters_all_run_to_their_end_with_unique_pids()
    {
        (Multikernel system, StringWriter output, Processor processor) = Boot();
        using (processor)
        {
            int first = system.Spawn(processor.Cluster("CC0"), KernelRig.Program("hello"), ["hello"]);
            int second = system.Spawn(processor.Cluster("CC7"), KernelRig.Program("echo"), ["echo", "x"]);
            int third = system.Spawn(processor.Cluster("CC7"), KernelRig.Program("threads"), ["threads", "mutex"]);

            IReadOnlyList<ClusterExit> exits = system.RunToCompletion();

            Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
            Assert.Equal(0, exits.Single(e => e.Exit.Pid == first).Exit.Status);
            Assert.Equal("CC7", exits.Single(e => e.Exit.Pid == second).Cluster);
            Assert.Equal(1, exits.Single(e => e.Exit.Pid == second).Exit.Status);
            Assert.Contains("[CC0] hello, world\n", output.ToString());
            Assert.Contains("[CC7] argv[1]=x (1 chars)\n", output.ToString());
            Assert.Contains("[CC7] mutex ok\n", output.ToString());
        }
    }

    [Fact]
    public void The_interleaving_of_clusters_is_deterministic()
    {
        string Run()
        {
            (Multikernel system, StringWriter output, Processor processor) = Boot();
            using (processor)
            {
                for (int c = 0; c < 4; c++)
                {
                    system.Spawn(processor.Cluster($"CC{c}"), KernelRig.Program("cpu"), ["cpu", "1"]);
                }

                system.RunToCompletion();
                return output + string.Join(",", system.Kernels.Select(k => k.Statistics.Cycles));
            }
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Programs_cannot_be_started_on_an_io_cluster()
    {
        (Multikernel system, _, Processor processor) = Boot();
        using (processor)
        {
            var error = Assert.Throws<ArgumentException>(() => system.Spawn(processor.Cluster("IO0"), KernelRig.Program("hello"), ["hello"]));
            Assert.Contains("I/O cluster", error.Message);
        }
    }

    [Theory]
    [InlineData("mppa256")]
    [InlineData("small")]
    public void The_cache_model_takes_each_cluster_s_geometry_from_the_machine_spec(string machine)
    {
        ProcessorSpec spec = MachineCatalog.Get(machine);
        using var processor = new Processor(spec);
        var system = new Multikernel(processor, _ => new PrefixedConsole("x", TextWriter.Null, TextWriter.Null), cache: true);
        ICluster cluster = processor.Clusters.First(c => c.Kind == ClusterKind.Compute);

        IClusterKernel kernel = system.Kernel(cluster);

        Assert.Equal(spec.Clusters[cluster.Id].InstructionCache, kernel.Core(1).InstructionCache!.Geometry);
        Assert.Equal(spec.Clusters[cluster.Id].DataCache, kernel.Core(1).DataCache!.Geometry);
    }

    [Fact]
    public void The_small_machine_has_caches_of_its_own_shape()
    {
        Assert.NotEqual(Mppa256.Spec().Clusters[2].DataCache, SmallManycore.Spec().Clusters[1].DataCache);
    }

    [Fact]
    public void RunUntil_stops_when_asked_and_a_second_call_runs_on_to_the_end()
    {
        (Multikernel system, StringWriter output, Processor processor) = Boot();
        using (processor)
        {
            system.Spawn(processor.Cluster("CC0"), KernelRig.Program("threads"), ["threads", "all"]);
            int steps = 0;

            bool ended = system.RunUntil(() => ++steps == 3);

            Assert.False(ended);
            Assert.Empty(system.Exits);
            Assert.True(system.RunUntil(() => false));
            Assert.Equal(0, Assert.Single(system.Exits).Exit.Status);
            Assert.Contains("all 10 cases ok", output.ToString());
        }
    }

    [Fact]
    public void Each_process_gets_its_share_of_its_cluster_s_instructions_and_kernel_calls()
    {
        (Multikernel system, _, Processor processor) = Boot();
        using (processor)
        {
            ICluster cc7 = processor.Cluster("CC7");
            int echo = system.Spawn(cc7, KernelRig.Program("echo"), ["echo", "x"]);
            int threads = system.Spawn(cc7, KernelRig.Program("threads"), ["threads", "mutex"]);

            system.RunToCompletion();

            IClusterKernel kernel = system.Kernel(cc7);
            ProcessStatistics a = kernel.StatisticsOf(echo);
            ProcessStatistics b = kernel.StatisticsOf(threads);
            Assert.True(a.Instructions > 0 && b.Instructions > a.Instructions);
            Assert.Equal(kernel.Statistics.Instructions, a.Instructions + b.Instructions);
            Assert.Equal(kernel.Statistics.KernelCalls, a.KernelCalls + b.KernelCalls);
            Assert.Equal(default, kernel.StatisticsOf(999));
        }
    }
}
