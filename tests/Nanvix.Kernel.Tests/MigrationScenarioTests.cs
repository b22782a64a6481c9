using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Nanvix's migration scenarios: circular, parallel, the most threads, more pages.</summary>
public sealed class MigrationScenarioTests
{
    private static (string Output, IReadOnlyList<ClusterExit> Exits) Unmoved(params (string Cluster, string[] Arguments)[] programs)
    {
        using var rig = new MigrationRig();
        foreach ((string cluster, string[] arguments) in programs)
        {
            rig.Spawn(cluster, arguments);
        }

        return rig.Finish();
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void Circular_the_seed_process_tours_all_16_compute_clusters(ProcessLayoutKind layout)
    {
        (string plain, _) = Unmoved(("CC0", ["seedproc", "2"]));
        using var rig = new MigrationRig(layout);
        int pid = rig.Spawn("CC0", "seedproc", "2");
        MigrationTicket[] tickets = [.. Enumerable.Range(1, 15).Select(c => rig.Move(pid, $"CC{c}", notBefore: (ulong)c * 100_000))];
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(plain, output);
        Assert.All(tickets, t => Assert.Equal(MigrationState.Done, t.State));
        Assert.Equal(Enumerable.Range(1, 15).Select(c => $"CC{c}"), tickets.Select(t => t.Report!.To));
        Assert.Equal("CC15", exits.Single().Cluster);
        Assert.Equal(0, exits.Single().Exit.Status);

        // 86 pages of sections and 8 KB of stack: the thesis's process (342.8 KB of text and data, rounded to pages).
        Assert.All(tickets, t => Assert.Equal(86 * 4096, t.Report!.SectionBytes));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Parallel_processes_on_n_clusters_all_move_at_once(int count)
    {
        (string Cluster, string[] Arguments)[] programs = [.. Enumerable.Range(0, count).Select(i => ($"CC{i}", new[] { "cpu", "2" }))];
        (string plain, _) = Unmoved(programs);
        using var rig = new MigrationRig();
        int[] pids = [.. programs.Select(p => rig.Spawn(p.Cluster, p.Arguments))];
        rig.Step(count * 5);
        MigrationTicket[] tickets = [.. pids.Select((pid, i) => rig.Move(pid, $"CC{(i + Math.Max(1, count / 2)) % 16}"))];
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationRig.Lines(plain), MigrationRig.Lines(output));
        Assert.All(tickets, t => Assert.True(t.State == MigrationState.Done, t.ToString()));
        Assert.All(exits, e => Assert.Equal(0, e.Exit.Status));

        // They were all under way together: every move began before the first one ended.
        ulong firstEnd = tickets.Min(t => t.Report!.FreezeCycle + t.Report.DowntimeCycles);
        Assert.All(tickets, t => Assert.True(t.Report!.FreezeCycle < firstEnd));
    }

    [Theory]
    [InlineData(ProcessLayoutKind.UArea)]
    [InlineData(ProcessLayoutKind.Scattered)]
    public void A_process_with_the_most_threads_moves_with_all_of_them(ProcessLayoutKind layout)
    {
        (string plain, _) = Unmoved(("CC0", ["maxthreads"]));
        using var rig = new MigrationRig(layout);
        int pid = rig.Spawn("CC0", "maxthreads");
        // Once all 17 threads are created the move takes 18 contexts: step until the main thread is past its creates.
        rig.Step(150);
        MigrationTicket ticket = rig.Move(pid, "CC7");
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(plain, output);
        Assert.Equal(MigrationState.Done, ticket.State);
        Assert.Equal(KernelConstants.MaxThreads * Arch.Core.RegisterContext.Size, ticket.Report!.ContextBytes);
        Assert.Equal(0, exits.Single().Exit.Status);
    }

    [Fact]
    public void Processes_with_0_16_and_32_extra_pages_move_and_carry_exactly_those_pages()
    {
        var sections = new Dictionary<int, long>();
        foreach (int pages in (int[])[0, 16, 32])
        {
            (string plain, _) = Unmoved(("CC0", ["pages", $"{pages}"]));
            using var rig = new MigrationRig();
            int pid = rig.Spawn("CC0", "pages", $"{pages}");
            rig.Step(60);
            MigrationTicket ticket = rig.Move(pid, "CC3");
            (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

            Assert.Equal(plain, output);
            Assert.Contains($"pages: {pages} ok", output);
            Assert.Equal(MigrationState.Done, ticket.State);
            Assert.Equal(0, exits.Single().Exit.Status);
            sections[pages] = ticket.Report!.SectionBytes;
        }

        Assert.Equal(16 * 4096, sections[16] - sections[0]);
        Assert.Equal(32 * 4096, sections[32] - sections[0]);
    }
}
