using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests;

/// <summary>Live migration (issue 17): a pre-copied process finishes exactly as unmoved, with less downtime when it writes little.</summary>
public sealed class LiveMigrationTests
{
    /// <summary>Runs one program on CC0 and asks, after <paramref name="step"/> loop steps, to move it to CC5 the way <paramref name="mode"/> says.</summary>
    private static (string Output, ClusterExit Exit, MigrationTicket? Ticket) Run(
        string[] arguments, MigrationMode mode, int step, ProcessLayoutKind layout = ProcessLayoutKind.UArea, NocTimingMode timing = NocTimingMode.Hardware)
    {
        using var rig = new MigrationRig(layout, timing);
        int pid = rig.Spawn("CC0", arguments);
        MigrationTicket? ticket = null;
        if (step >= 0)
        {
            rig.Step(step);
            ticket = rig.System.RequestMigration(pid, rig.Processor.Cluster("CC5"), 0, mode);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();
        return (output, exits.Single(), ticket);
    }

    [Theory]
    [InlineData("cpu", "3", ProcessLayoutKind.UArea, NocTimingMode.Hardware)]
    [InlineData("cpu", "3", ProcessLayoutKind.Scattered, NocTimingMode.Nanvix)]
    [InlineData("pages", "16", ProcessLayoutKind.UArea, NocTimingMode.Nanvix)]
    [InlineData("pages", "64", ProcessLayoutKind.Scattered, NocTimingMode.Hardware)]
    [InlineData("threads", "mutex", ProcessLayoutKind.UArea, NocTimingMode.Hardware)]
    public void A_pre_copied_process_prints_what_it_would_have_printed_unmoved(string program, string argument, ProcessLayoutKind layout, NocTimingMode timing)
    {
        (string plain, ClusterExit plainExit, _) = Run([program, argument], MigrationMode.Stop, -1, layout, timing);
        (string moved, ClusterExit movedExit, MigrationTicket? ticket) = Run([program, argument], MigrationMode.Precopy, 30, layout, timing);

        Assert.True(ticket!.State == MigrationState.Done, ticket.ToString());
        Assert.Equal(plain, moved);
        Assert.Equal(plainExit.Exit.Status, movedExit.Exit.Status);
        Assert.Equal("CC5", movedExit.Cluster);
        MigrationReport report = ticket.Report!;
        Assert.Equal(MigrationMode.Precopy, report.Mode);
        Assert.NotEmpty(report.Rounds);
        Assert.True(report.TotalCycles > report.DowntimeCycles);
    }

    [Theory]
    [InlineData("cpu", "3", ProcessLayoutKind.UArea, NocTimingMode.Hardware)]
    [InlineData("seedproc", "2", ProcessLayoutKind.Scattered, NocTimingMode.Nanvix)]
    [InlineData("pages", "64", ProcessLayoutKind.UArea, NocTimingMode.Nanvix)]
    [InlineData("threads", "all", ProcessLayoutKind.Scattered, NocTimingMode.Hardware)]
    [InlineData("heap", "", ProcessLayoutKind.UArea, NocTimingMode.Hardware)]
    public void A_post_copied_process_prints_what_it_would_have_printed_unmoved_and_pulls_every_page(string program, string argument, ProcessLayoutKind layout, NocTimingMode timing)
    {
        string[] arguments = argument.Length == 0 ? [program] : [program, argument];
        (string plain, ClusterExit plainExit, _) = Run(arguments, MigrationMode.Stop, -1, layout, timing);
        (string moved, ClusterExit movedExit, MigrationTicket? ticket) = Run(arguments, MigrationMode.Postcopy, 30, layout, timing);

        Assert.True(ticket!.State == MigrationState.Done, ticket.ToString());
        Assert.Equal(plain, moved);
        Assert.Equal(plainExit.Exit.Status, movedExit.Exit.Status);
        Assert.Equal("CC5", movedExit.Cluster);
        PostcopyFigures post = ticket.Report!.Postcopy!;
        Assert.True(post.Pages > 0, ticket.ToString());
        Assert.True(!post.Complete || post.Pulled == post.Pages, ticket.ToString());
    }

    [Fact]
    public void Post_copy_leaves_the_untouched_pages_out_of_the_downtime_and_pulls_them_all()
    {
        (_, _, MigrationTicket? stop) = Run(["seedproc", "2"], MigrationMode.Stop, 30, timing: NocTimingMode.Nanvix);
        (_, _, MigrationTicket? lazy) = Run(["seedproc", "2"], MigrationMode.Postcopy, 30, timing: NocTimingMode.Nanvix);

        MigrationReport stopped = stop!.Report!, post = lazy!.Report!;
        Assert.True(post.Postcopy!.Complete, post.ToString());
        Assert.Equal(post.Postcopy.Pages, post.Postcopy.Pulled);
        Assert.True(post.Postcopy.Demanded > 0 && post.Postcopy.StallCycles > 0, post.ToString());
        Assert.True(post.DowntimeCycles < stopped.DowntimeCycles / 4, $"downtime {post.DowntimeCycles} vs {stopped.DowntimeCycles}");
        Assert.Equal(stopped.SectionBytes + stopped.StackBytes, post.SectionBytes + post.StackBytes + (post.Postcopy.Pages * 4096L));
        Assert.True(post.Postcopy.TotalCycles > post.DowntimeCycles);
    }

    [Fact]
    public void A_lost_page_request_is_asked_again_and_the_process_finishes_as_unmoved()
    {
        (string plain, _, _) = Run(["seedproc", "2"], MigrationMode.Stop, -1);
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "seedproc", "2");
        rig.Step(30);
        MigrationTicket ticket = rig.System.RequestMigration(pid, rig.Processor.Cluster("CC5"), 0, MigrationMode.Postcopy);
        while (ticket.State != MigrationState.Done && rig.Step(1) == 1)
        {
        }

        // The next two messages from the target to the source (its page requests) are lost; so is the next page on channel 2.
        int from = rig.Processor.Cluster("CC5").NocNodes[0], to = rig.Processor.Cluster("CC0").NocNodes[0];
        rig.Processor.Noc.InjectFault(TransferKind.Mailbox, from, to, 0);
        rig.Processor.Noc.InjectFault(TransferKind.Mailbox, from, to, 1);
        rig.Processor.Noc.InjectFault(TransferKind.Portal, to, from, 0, channel: 2);
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(plain, output);
        Assert.Equal(0, exits.Single().Exit.Status);
        Assert.True(ticket.Report!.Postcopy!.Complete, ticket.ToString());
        Assert.Equal(0, rig.Processor.Noc.FaultsPending);
    }

    [Fact]
    public void A_post_copied_process_whose_source_no_longer_answers_dies_with_a_diagnostic_and_the_others_go_on()
    {
        using var rig = new MigrationRig(timing: NocTimingMode.Nanvix);
        int pid = rig.Spawn("CC0", "seedproc", "2");
        int other = rig.Spawn("CC1", "cpu", "3");
        rig.Step(30);
        MigrationTicket ticket = rig.System.RequestMigration(pid, rig.Processor.Cluster("CC5"), 0, MigrationMode.Postcopy);
        while (ticket.State != MigrationState.Done && rig.Step(1) == 1)
        {
        }

        // Every message the target sends the source from now on is lost: the source's cluster is as good as gone.
        int from = rig.Processor.Cluster("CC5").NocNodes[0], to = rig.Processor.Cluster("CC0").NocNodes[0];
        for (int i = 0; i < 40; i++)
        {
            rig.Processor.Noc.InjectFault(TransferKind.Mailbox, from, to, i);
        }

        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        ClusterExit lost = exits.Single(e => e.Exit.Pid == pid);
        Assert.Equal(("CC5", 135), (lost.Cluster, lost.Exit.Status));
        Assert.Matches(@"process 1 killed: its page 0x[0-9a-f]{8} did not come from node 8 after 3 requests .*the cluster it was post-copied from does not answer", lost.Exit.Diagnostic);
        Assert.Equal(0, exits.Single(e => e.Exit.Pid == other).Exit.Status);
        Assert.DoesNotContain("checksum", output);
    }

    [Fact]
    public void Pages_not_written_after_their_round_stay_out_of_the_downtime()
    {
        // cpu computes in registers and a few stack words: after round 1 almost nothing is dirty.
        (_, _, MigrationTicket? stop) = Run(["seedproc", "2"], MigrationMode.Stop, 30);
        (_, _, MigrationTicket? live) = Run(["seedproc", "2"], MigrationMode.Precopy, 30);

        Assert.True(live!.State == MigrationState.Done, live.ToString());
        MigrationReport stopped = stop!.Report!, precopied = live.Report!;
        Assert.True(precopied.PrecopiedPages > 80, $"{precopied.PrecopiedPages} pages kept");
        Assert.True(precopied.SectionBytes + precopied.StackBytes < (stopped.SectionBytes + stopped.StackBytes) / 10);
        Assert.True(precopied.DowntimeCycles < stopped.DowntimeCycles / 4, $"downtime {precopied.DowntimeCycles} vs {stopped.DowntimeCycles}");
        Assert.Equal(stopped.SectionBytes + stopped.StackBytes, precopied.Rounds[0].Pages * 4096L);
    }

    [Fact]
    public void A_process_that_writes_every_page_ends_its_rounds_when_the_dirty_set_stops_shrinking()
    {
        (string plain, _, _) = Run(["pages", "32", "40"], MigrationMode.Stop, -1);
        (string moved, _, MigrationTicket? ticket) = Run(["pages", "32", "40"], MigrationMode.Precopy, 20);

        Assert.Equal(plain, moved);
        MigrationReport report = ticket!.Report!;
        Assert.InRange(report.Rounds.Count, 1, MigrationDaemon.DefaultPrecopyRounds);
        for (int r = 1; r < report.Rounds.Count; r++)
        {
            Assert.True(report.Rounds[r].Pages < report.Rounds[r - 1].Pages);
        }

        Assert.True(report.Rounds[^1].DirtyAfter == 0 || report.Rounds[^1].DirtyAfter >= report.Rounds[^1].Pages || report.Rounds.Count == MigrationDaemon.DefaultPrecopyRounds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_pre_copy_batch_lost_on_the_NoC_leaves_the_process_running_where_it_was(int lostBatch)
    {
        using var rig = new MigrationRig();
        int pid = rig.Spawn("CC0", "pages", "16");
        rig.Step(30);
        rig.Processor.Noc.InjectFault(TransferKind.Portal, rig.Processor.Cluster("CC0").NocNodes[0], rig.Processor.Cluster("CC5").NocNodes[0], lostBatch);
        MigrationTicket lost = rig.System.RequestMigration(pid, rig.Processor.Cluster("CC5"), 0, MigrationMode.Precopy);
        (string output, IReadOnlyList<ClusterExit> exits) = rig.Finish();

        Assert.Equal(MigrationState.Refused, lost.State);
        Assert.Contains("lost", lost.Refusal);
        Assert.Contains("pages: 16 ok", output);
        Assert.Equal("CC0", exits.Single().Cluster);
    }
}
