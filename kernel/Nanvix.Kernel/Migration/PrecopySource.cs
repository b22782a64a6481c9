using System.Buffers.Binary;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The rounds of a pre-copy move on the source, while its process still runs: round 1 sends every page, each later
/// round the pages written since they were sent (the Sv32 dirty bits, see <see cref="PrecopyPages{TLayout}"/>), in
/// batches of at most <see cref="BatchPages"/> pages behind a page that lists their virtual addresses, on the kernel's
/// portal channel, each announced by a <see cref="MigrationMessageKind.PrecopyBatch"/> message. The rounds stop when a
/// round would send nothing, when the dirty set stops shrinking, or after the ticket's round limit; the move then
/// freezes the process and sends the rest as a stop-and-copy move does (<see cref="MigrationSource"/>). A batch notice
/// with no news after it is sent again, as a manifest is.
/// </summary>
internal sealed class PrecopySource(
    IClusterKernel kernel,
    INoc noc,
    EventScheduler scheduler,
    int here,
    IEventTarget daemon,
    Func<int, IPortalOutput> outputTo,
    Action<PrecopyRun, ulong> finished,
    Action<MigrationTicket, string, ulong> refuse)
{
    /// <summary>Pages of one batch: with its page list, a 1 MB transfer.</summary>
    public const int BatchPages = MigrationDaemon.MaxPagesPerTransfer - 1;

    private PrecopyRun? _run;

    /// <summary>The pre-copy move under way here, or null.</summary>
    public PrecopyRun? Run => _run;

    /// <summary>Starts the rounds of <paramref name="ticket"/>'s move: null, or why it cannot move.</summary>
    public string? Start(MigrationTicket ticket, ulong now)
    {
        if (kernel.WhyCannotMove(ticket.Pid, ticket.Target.NocNodes[0]) is { } never)
        {
            return never;
        }

        if (!kernel.KernelPages.TryAllocate(out uint list))
        {
            return $"{kernel.Cluster.Name}: no kernel page left for the page list of a pre-copy round";
        }

        int number = kernel.BeginPrecopy(ticket.Pid);
        if (number < 0)
        {
            kernel.KernelPages.Free(list);
            return $"{kernel.Cluster.Name} runs no process {ticket.Pid}";
        }

        _run = new PrecopyRun(ticket, new MoveId(ticket.Pid, number, here), ticket.Target.NocNodes[0], now, list);
        ticket.State = MigrationState.Moving;
        ticket.Cycle = now;
        NextRound(now);
        return null;
    }

    /// <summary>The batch event came: the notice goes and the batch waits on the NoC for the target's allow.</summary>
    public void SendBatch(ulong now)
    {
        if (_run is not { } run || run.Transfer >= 0)
        {
            return;
        }

        int count = Math.Min(BatchPages, run.Round.Count - run.NextInRound);
        Span<byte> list = kernel.Cluster.Memory.Bytes(run.ListPage, (int)KernelConstants.PageSize);
        list.Clear();
        Span<MemorySegment> segments = stackalloc MemorySegment[count + 1];
        segments[0] = new MemorySegment(run.ListPage, (int)KernelConstants.PageSize);
        for (int i = 0; i < count; i++)
        {
            (uint va, uint frame) = run.Round[run.NextInRound + i];
            BinaryPrimitives.WriteUInt32LittleEndian(list[(i * 4)..], va);
            segments[i + 1] = new MemorySegment(frame, (int)KernelConstants.PageSize);
        }

        run.InFlight = run.Round.GetRange(run.NextInRound, count);

        run.NextInRound += count;
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WritePrecopyBatch(body, run.Move, run.Batch++, count, run.Ticket.ByProcess);
        run.Notice = body[..length].ToArray();
        if (!kernel.SendKernelMessage(run.TargetNode, run.Notice))
        {
            Abandon($"{run.Ticket.Target.Name} does not listen", now, tell: false);
            return;
        }

        run.Transfer = outputTo(run.TargetNode).Write(segments);
        run.LastNews = now;
        run.Patience = MigrationDaemon.AnswerTimeoutCycles;
        Check(run, now + run.Patience);
    }

    /// <summary>The output towards the target delivered: the next batch, the next round, or the freeze.</summary>
    public void OutputDone(ulong cycle)
    {
        if (_run is not { } run || run.Transfer < 0 || noc.Transfer(run.Transfer).State != TransferState.Delivered)
        {
            return;
        }

        run.Transfer = -1;
        run.LastNews = cycle;

        // The target holds these pages now, as they were when the batch landed (their dirty bits were cleared before).
        foreach ((uint va, uint frame) in run.InFlight)
        {
            run.Sent[va] = frame;
        }

        run.InFlight = [];
        if (run.NextInRound < run.Round.Count)
        {
            scheduler.Schedule(cycle, daemon, MigrationDaemon.SendBatch, "migration.precopy");
            return;
        }

        run.Rounds.Add(new PrecopyRound(run.Round.Count, ((long)run.Round.Count + BatchesOf(run.Round.Count)) * KernelConstants.PageSize, 0, cycle - run.RoundStarted));
        NextRound(cycle);
    }

    /// <summary>
    /// The wait for news of a batch is up: with nothing since (the batch not delivered), its notice may have been lost,
    /// so it goes again and the wait doubles.
    /// </summary>
    public void CheckForNews(ulong now)
    {
        if (_run is not { } run || run.Transfer < 0 || now != run.CheckDue)
        {
            return;
        }

        if (now >= run.LastNews + run.Patience)
        {
            kernel.SendKernelMessage(run.TargetNode, run.Notice);
            run.LastNews = now;
            run.Patience *= 2;
        }

        Check(run, run.LastNews + run.Patience);
    }

    /// <summary>
    /// The pre-copy is called off (the target refused, a batch was lost, the process ended or cannot be frozen): the
    /// process's writes are no longer tracked; <paramref name="tell"/> sends the target a Cancelled notice, so it frees
    /// what it holds of the move (it does so by itself after a while if the notice is lost).
    /// </summary>
    public void Abandon(PrecopyRun run, bool tell)
    {
        if (_run == run)
        {
            _run = null;
        }

        kernel.EndPrecopy(run.Ticket.Pid);
        kernel.KernelPages.Free(run.ListPage);
        if (tell)
        {
            Span<byte> body = stackalloc byte[MigrationMessage.Bytes];
            kernel.SendKernelMessage(run.TargetNode, body[..MigrationMessage.WriteCancelled(body, run.Move)]);
        }
    }

    /// <summary>
    /// The target has no frames for the next batch: the rounds end here. The batch waiting for its allow is withdrawn,
    /// and the pages of this round not landed are taken as never sent (their dirty bits were cleared for the round,
    /// and the target's copies of them are stale), so the freeze sends them.
    /// </summary>
    public void Full(ulong now)
    {
        if (_run is not { } run || run.Transfer < 0 || noc.Transfer(run.Transfer).State != TransferState.Waiting || !outputTo(run.TargetNode).Withdraw())
        {
            return;
        }

        run.Transfer = -1;
        for (int i = run.NextInRound - run.InFlight.Count; i < run.Round.Count; i++)
        {
            run.Sent.Remove(run.Round[i].Virtual);
        }

        run.InFlight = [];
        run.Rounds.Add(new PrecopyRound(run.NextInRound, (long)run.NextInRound * KernelConstants.PageSize, run.Round.Count - run.NextInRound, now - run.RoundStarted));
        _run = null;
        finished(run, now);
    }

    /// <summary>The rounds are over, the process frozen: the list page goes back.</summary>
    public void Frozen(PrecopyRun run) => kernel.KernelPages.Free(run.ListPage);

    private void Abandon(string reason, ulong now, bool tell)
    {
        PrecopyRun run = _run!;
        Abandon(run, tell);
        refuse(run.Ticket, reason, now);
    }

    /// <summary>Finds the pages the next round would send: sends them, or ends the rounds (nothing left, no longer shrinking, the limit).</summary>
    private void NextRound(ulong now)
    {
        PrecopyRun run = _run!;
        List<(uint Virtual, uint Frame)>? dirty = kernel.PrecopyDirty(run.Ticket.Pid, run.Sent, out ulong scan);
        if (dirty is null)
        {
            Abandon($"process {run.Ticket.Pid} ended (on {kernel.Cluster.Name}) before it could move", now, tell: true);
            return;
        }

        if (run.Rounds.Count > 0)
        {
            run.Rounds[^1] = run.Rounds[^1] with { DirtyAfter = dirty.Count };
        }

        int previous = run.Rounds.Count > 0 ? run.Rounds[^1].Pages : int.MaxValue;
        if (dirty.Count == 0 || dirty.Count >= previous || run.Rounds.Count >= run.Ticket.PrecopyRounds)
        {
            _run = null;
            finished(run, now + scan);
            return;
        }

        kernel.PrecopyClean(run.Ticket.Pid, dirty);
        run.Round = dirty;
        run.NextInRound = 0;
        run.RoundStarted = now;
        scheduler.Schedule(now + scan, daemon, MigrationDaemon.SendBatch, "migration.precopy");
    }

    private void Check(PrecopyRun run, ulong due)
    {
        run.CheckDue = due;
        scheduler.Schedule(due, daemon, MigrationDaemon.CheckPrecopy, "migration.check");
    }

    private static int BatchesOf(int pages) => (pages + BatchPages - 1) / BatchPages;
}

/// <summary>One pre-copy move on its source: what was sent from which frame, the rounds so far, the batch under way.</summary>
internal sealed class PrecopyRun(MigrationTicket ticket, MoveId move, int targetNode, ulong started, uint listPage)
{
    public MigrationTicket Ticket { get; } = ticket;

    public MoveId Move { get; } = move;

    public int TargetNode { get; } = targetNode;

    /// <summary>The cycle the rounds began (the move's start).</summary>
    public ulong Started { get; } = started;

    /// <summary>The kernel page each batch's page list is written in.</summary>
    public uint ListPage { get; } = listPage;

    /// <summary>Virtual page → the frame it was last sent from.</summary>
    public Dictionary<uint, uint> Sent { get; } = [];

    public List<PrecopyRound> Rounds { get; } = [];

    /// <summary>The pages of the round under way, and the next of them to send.</summary>
    public List<(uint Virtual, uint Frame)> Round { get; set; } = [];

    public int NextInRound { get; set; }

    /// <summary>The pages of the batch on its way (recorded as sent once it lands).</summary>
    public List<(uint Virtual, uint Frame)> InFlight { get; set; } = [];

    public ulong RoundStarted { get; set; }

    /// <summary>The number of the next batch (counted over all rounds).</summary>
    public int Batch { get; set; }

    /// <summary>The NoC transfer of the batch under way, or -1.</summary>
    public int Transfer { get; set; } = -1;

    /// <summary>The notice of the batch under way, to send again.</summary>
    public byte[] Notice { get; set; } = [];

    public ulong LastNews { get; set; }

    public ulong Patience { get; set; }

    public ulong CheckDue { get; set; }
}
