using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The source side of a migration daemon: one process leaving from here at a time. It waits for the process to settle
/// and freezes it, sends the manifest and then the regions on the kernel's portal channel (the kernel state, then the
/// sections and the stacks), sends the manifest again while no news comes, and ends the move when the target answers:
/// Done (the process is freed here, Evicted goes to the target, the report is written) or Refused or Failed (it thaws).
/// </summary>
internal sealed class MigrationSource(
    IClusterKernel kernel,
    INoc noc,
    EventScheduler scheduler,
    long frequencyHz,
    int here,
    IEventTarget daemon,
    Action<MigrationTicket> ended,
    MigrationTarget incoming,
    PageServer pages)
{
    private readonly Dictionary<int, IPortalOutput> _outputs = [];

    /// <summary>The last moves from here whose process this daemon evicted, to answer a Done that comes again.</summary>
    private readonly MoveId[] _evicted = new MoveId[MigrationDaemon.AnsweredLimit];
    private int _evictedNext;

    private Waiting? _waiting;
    private bool _retryDue;
    private Outgoing? _outgoing;
    private PrecopySource? _precopy;

    /// <summary>The rounds of a pre-copy move leaving from here.</summary>
    private PrecopySource Precopy => _precopy ??= new PrecopySource(kernel, noc, scheduler, here, daemon, OutputTo, RoundsOver, Refuse);

    /// <summary>True while a process leaves from here (pre-copy rounds included), or a move waits for its process to settle.</summary>
    public bool Busy => _waiting is not null || _outgoing is not null || _precopy?.Run is not null;

    /// <summary>True when a move of one of this cluster's processes can be taken.</summary>
    public bool CanTake => !Busy;

    /// <summary>The move leaving from here, or null.</summary>
    public MigrationTicket? Moving => _outgoing?.Ticket ?? _precopy?.Run?.Ticket;

    /// <summary>True while process <paramref name="pid"/> is leaving from here, or waits to.</summary>
    public bool IsMoving(int pid) => _outgoing?.Ticket.Pid == pid || _waiting?.Ticket.Pid == pid || _precopy?.Run?.Ticket.Pid == pid;

    /// <summary>True when <paramref name="move"/> is the move leaving from here (in its pre-copy rounds, waiting to freeze after them, or frozen).</summary>
    public bool IsLeaving(MoveId move) => _outgoing?.Move == move || _precopy?.Run?.Move == move || _waiting?.Precopy?.Move == move;

    /// <summary>The batch event of a pre-copy move came.</summary>
    public void SendBatch(ulong now) => _precopy?.SendBatch(now);

    /// <summary>The target of the pre-copy move leaving from here has no frames for another batch: freeze and send the rest.</summary>
    public void PrecopyFull(ulong now) => _precopy?.Full(now);

    /// <summary>The wait for news of a pre-copy batch is up.</summary>
    public void CheckPrecopy(ulong now) => _precopy?.CheckForNews(now);

    /// <summary>True when <paramref name="move"/> is one of the last moves from here whose process was evicted.</summary>
    public bool HasEvicted(MoveId move) => Array.IndexOf(_evicted, move) >= 0;

    /// <summary>Takes the move of <paramref name="ticket"/> (<see cref="CanTake"/> must be true): freeze now, or try again later.</summary>
    public void Take(MigrationTicket ticket, ulong now)
    {
        _waiting = new Waiting(ticket, now);
        TryFreeze(now);
    }

    /// <summary>A quantum of this cluster ended at <paramref name="now"/>: a move waiting for its process to settle tries again.</summary>
    public void Poll(ulong now)
    {
        if (_waiting is not null)
        {
            TryFreeze(now);
        }
    }

    /// <summary>The retry event came at <paramref name="cycle"/>: a move waiting for its process tries again.</summary>
    public void Retry(ulong cycle)
    {
        _retryDue = false;
        Poll(Math.Max(cycle, kernel.Statistics.Cycles));
    }

    /// <summary>The output towards the target delivered at <paramref name="cycle"/>: that is news of the move, and the next region goes.</summary>
    public void OutputDone(ulong cycle)
    {
        if (_precopy?.Run is not null)
        {
            _precopy.OutputDone(cycle);
            return;
        }

        if (_outgoing is not null)
        {
            _outgoing.LastNews = cycle;
        }

        WriteNextRegion();
    }

    /// <summary>Passes news of a portal move on to the target of the move leaving from here, if any: its portals were copied before the news came.</summary>
    public void PassOn(ReadOnlySpan<byte> body)
    {
        if (_outgoing is not null)
        {
            kernel.SendKernelMessage(_outgoing.TargetNode, body);
        }
    }

    /// <summary>The kernel state is gathered: the manifest goes to the target, and the first region waits on the NoC for its allow.</summary>
    public void SendTheManifest(ulong now)
    {
        Outgoing outgoing = _outgoing!;
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WriteManifest(body, outgoing.Move, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Frames.Length + outgoing.Process.OnDemand.Count, outgoing.Ticket.ByProcess);
        outgoing.ManifestSent = now;
        if (!kernel.SendKernelMessage(outgoing.TargetNode, body[..length]))
        {
            Stayed($"{outgoing.Ticket.Target.Name} does not listen", now);
            return;
        }

        outgoing.LastNews = now;
        outgoing.Patience = MigrationDaemon.AnswerTimeoutCycles;
        outgoing.CheckDue = now + outgoing.Patience;
        scheduler.Schedule(outgoing.CheckDue, daemon, MigrationDaemon.CheckAnswer, "migration.check");

        // The first region, the kernel state, waits on the NoC until the target allows it.
        IPortalOutput output = OutputTo(outgoing.TargetNode);
        Span<MemorySegment> segments = stackalloc MemorySegment[outgoing.Process.Staging.Length];
        outgoing.Transfer = output.Write(StagingSegments(outgoing.Process.Staging, outgoing.Process.Snapshot.RegionBytes, segments));
    }

    /// <summary>
    /// The source's wait for news of its move is up: if nothing came since (no region delivered, no answer), the manifest
    /// or the target's answer may have been lost, so the manifest goes again and the wait doubles.
    /// </summary>
    public void CheckForAnswer(ulong now)
    {
        Outgoing? outgoing = _outgoing;
        if (outgoing is null || now != outgoing.CheckDue)
        {
            return;
        }

        if (now >= outgoing.LastNews + outgoing.Patience)
        {
            Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
            int length = MigrationMessage.WriteManifest(body, outgoing.Move, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Frames.Length + outgoing.Process.OnDemand.Count, outgoing.Ticket.ByProcess);
            kernel.SendKernelMessage(outgoing.TargetNode, body[..length]);
            outgoing.Resent++;
            outgoing.LastNews = now;
            outgoing.Patience *= 2;
        }

        outgoing.CheckDue = outgoing.LastNews + outgoing.Patience;
        scheduler.Schedule(outgoing.CheckDue, daemon, MigrationDaemon.CheckAnswer, "migration.check");
    }

    /// <summary>Tells the target of <paramref name="move"/> (node <paramref name="target"/>) that its process is freed here.</summary>
    public void SendEvicted(MoveId move, int target)
    {
        Span<byte> body = stackalloc byte[MigrationMessage.Bytes];
        kernel.SendKernelMessage(target, body[..MigrationMessage.WriteEvicted(body, move, here)]);
    }

    /// <summary>The process leaving from here runs on the target: free it here and write the report from both halves.</summary>
    public void Moved(ulong arrived, ulong restore, ulong ready)
    {
        Outgoing outgoing = _outgoing!;
        _outgoing = null;
        MigrationTicket ticket = outgoing.Ticket;
        ticket.Watch.Stop();
        ProcessSnapshot snapshot = outgoing.Process.Snapshot;
        PrecopyRun? rounds = outgoing.Precopy;
        ulong started = rounds?.Started ?? outgoing.Frozen;
        ticket.Report = new MigrationReport(
            ticket.Pid,
            kernel.Cluster.Name,
            ticket.Target.Name,
            snapshot.SectionBytes,
            snapshot.StackBytes,
            snapshot.KernelStateBytes,
            snapshot.ContextBytes,
            snapshot.IkcBytes,
            snapshot.ManifestBytes,
            outgoing.Frozen,
            outgoing.ManifestDue - outgoing.Frozen,
            arrived - outgoing.ManifestSent,
            restore,
            ready - outgoing.Frozen,
            (ready - outgoing.Frozen) * 1e6 / frequencyHz,
            ticket.Watch.Elapsed)
        {
            Mode = ticket.Mode,
            Rounds = rounds?.Rounds ?? [],
            PrecopiedPages = Enumerable.Range(0, snapshot.Pages.Count).Count(i => snapshot.RouteOf(i) == PageRoute.Precopied),
            TotalCycles = ready - started,
            TotalMicroseconds = (ready - started) * 1e6 / frequencyHz,
            Postcopy = ticket.Mode == MigrationMode.Postcopy ? new PostcopyFigures(outgoing.Process.OnDemand.Count, outgoing.Frozen) : null,
        };

        // Post-copy: the pages the target has not pulled yet outlive the process here, in the page server.
        pages.Evicting(outgoing.Move, outgoing.Process, ticket.Report);
        kernel.Evict(outgoing.Process);
        _evicted[_evictedNext] = outgoing.Move;
        _evictedNext = (_evictedNext + 1) % _evicted.Length;
        SendEvicted(outgoing.Move, outgoing.TargetNode);
        ticket.State = MigrationState.Done;
        ended(ticket);
    }

    /// <summary>The move of the process leaving from here was called off: it goes on here.</summary>
    public void Stayed(string reason, ulong now)
    {
        if (_outgoing is null)
        {
            // Refused or failed before the freeze, in the pre-copy rounds or while the process settles after them: it never stopped.
            PrecopyRun run = (_precopy?.Run ?? _waiting?.Precopy)!;
            _waiting = null;
            Precopy.Abandon(run, tell: false);
            if (_outputs.Remove(run.TargetNode, out IPortalOutput? pending))
            {
                pending.Dispose();
            }

            run.Ticket.Watch.Stop();
            Refuse(run.Ticket, reason, now);
            return;
        }

        Outgoing outgoing = _outgoing;
        _outgoing = null;
        pages.Drop(outgoing.Move);
        if (_outputs.Remove(outgoing.TargetNode, out IPortalOutput? output))
        {
            // A region still waiting for an allow that will not come is cancelled with its output.
            output.Dispose();
        }

        kernel.Thaw(outgoing.Process, now);
        outgoing.Ticket.Watch.Stop();
        Refuse(outgoing.Ticket, reason, now);
    }

    /// <summary>The staging pages holding <paramref name="bytes"/> bytes of kernel state as a list of segments, in <paramref name="into"/>.</summary>
    public static Span<MemorySegment> StagingSegments(uint[] pages, int bytes, Span<MemorySegment> into)
    {
        for (int i = 0; i < pages.Length; i++)
        {
            int offset = i * (int)KernelConstants.PageSize;
            into[i] = new MemorySegment(pages[i], Math.Clamp(bytes - offset, 1, (int)KernelConstants.PageSize));
        }

        return into[..pages.Length];
    }

    private void TryFreeze(ulong now)
    {
        Waiting waiting = _waiting!;
        MigrationTicket ticket = waiting.Ticket;
        ticket.Watch.Start();
        if (!kernel.HasProcess(ticket.Pid))
        {
            // It ended while its move waited here (to settle, or for the node it came from to free it).
            ticket.Watch.Stop();
            _waiting = null;
            AbandonRounds(waiting);
            Refuse(ticket, $"process {ticket.Pid} ended (on {kernel.Cluster.Name}) before it could move", now);
            return;
        }

        OutgoingProcess? process = null;
        string? refusal;
        bool retry = true;
        if (incoming.IsUnconfirmed(ticket.Pid))
        {
            refusal = $"process {ticket.Pid}: the node it came from has not freed it yet";
        }
        else if (ticket.Mode == MigrationMode.Postcopy && !waiting.AccessCleared)
        {
            // Post-copy: the pages touched from now to the next quantum boundary (or the retry) go with the kernel state.
            ticket.Watch.Stop();
            if (!kernel.BeginPostcopy(ticket.Pid))
            {
                _waiting = null;
                Refuse(ticket, $"{kernel.Cluster.Name} runs no process {ticket.Pid}", now);
                return;
            }

            _waiting = waiting with { AccessCleared = true };
            if (!_retryDue)
            {
                _retryDue = true;
                scheduler.Schedule(now + MigrationDaemon.RetryCycles, daemon, MigrationDaemon.Retry, "migration.retry");
            }

            return;
        }
        else if (ticket.Mode == MigrationMode.Precopy && waiting.Precopy is null)
        {
            // The rounds first, while the process runs; it is frozen when they are over (RoundsOver).
            _waiting = null;
            string? why = Precopy.Start(ticket, now);
            ticket.Watch.Stop();
            if (why is not null)
            {
                Refuse(ticket, why, now);
            }

            return;
        }
        else
        {
            process = kernel.Freeze(ticket.Pid, ticket.Target.NocNodes[0], waiting.Precopy?.Sent, ticket.Mode == MigrationMode.Postcopy, out refusal, out retry);
        }

        if (process is null)
        {
            ticket.Watch.Stop();
            if (!retry || now > waiting.Since + MigrationDaemon.SettleLimitCycles)
            {
                _waiting = null;
                AbandonRounds(waiting);
                Refuse(ticket, retry ? $"{refusal}, for longer than {MigrationDaemon.SettleLimitCycles} cycles" : refusal, now);
            }
            else if (!_retryDue)
            {
                _retryDue = true;
                scheduler.Schedule(now + MigrationDaemon.RetryCycles, daemon, MigrationDaemon.Retry, "migration.retry");
            }

            return;
        }

        _waiting = null;
        if (waiting.Precopy is { } rounds)
        {
            Precopy.Frozen(rounds);
        }

        ProcessSnapshot snapshot = process.Snapshot;
        if (process.OnDemand.Count > 0)
        {
            pages.Hold(new MoveId(ticket.Pid, process.Move, here), ticket.Target.NocNodes[0], process.OnDemand);
        }

        ulong gather = ((ulong)(snapshot.RegionBytes / 4) * KernelConstants.CopyCyclesPerWord) + process.GatherStallCycles;
        _outgoing = new Outgoing(ticket, process, new MoveId(ticket.Pid, process.Move, here), ticket.Target.NocNodes[0], now, now + gather, Regions(process))
        {
            Precopy = waiting.Precopy,
        };
        ticket.State = MigrationState.Moving;
        ticket.Cycle = now;
        scheduler.Schedule(now + gather, daemon, MigrationDaemon.SendManifest, "migration.manifest");
    }


    /// <summary>The pre-copy rounds of a move are over at <paramref name="now"/>: freeze its process (as soon as it settles) and send the rest.</summary>
    private void RoundsOver(PrecopyRun run, ulong now)
    {
        _waiting = new Waiting(run.Ticket, now) { Precopy = run };
        TryFreeze(now);
    }

    /// <summary>A move that ends before its freeze after pre-copy rounds: the target is told to drop what it holds of it.</summary>
    private void AbandonRounds(Waiting waiting)
    {
        if (waiting.Precopy is { } run)
        {
            Precopy.Abandon(run, tell: true);
        }
    }

    /// <summary>The regions after the kernel state: the sections, then the stacks, that were not pre-copied, each cut into transfers of at most 1 MB.</summary>
    private static List<(int First, int Count)> Regions(OutgoingProcess process)
    {
        var regions = new List<(int, int)>();
        int sections = process.Snapshot.SentSectionPages;
        Cut(0, sections);
        Cut(sections, process.Snapshot.SentStackPages);
        return regions;

        void Cut(int first, int count)
        {
            for (int at = first; at < first + count; at += MigrationDaemon.MaxPagesPerTransfer)
            {
                regions.Add((at, Math.Min(MigrationDaemon.MaxPagesPerTransfer, first + count - at)));
            }
        }
    }

    /// <summary>The source's last write is over: post the next region, unless it was lost (the target answers Failed).</summary>
    private void WriteNextRegion()
    {
        Outgoing? outgoing = _outgoing;
        if (outgoing is null || outgoing.Transfer < 0 || noc.Transfer(outgoing.Transfer).State != TransferState.Delivered)
        {
            return;
        }

        if (outgoing.NextRegion == outgoing.Regions.Count)
        {
            outgoing.Transfer = -1;
            return;
        }

        (int first, int count) = outgoing.Regions[outgoing.NextRegion++];
        Span<MemorySegment> segments = stackalloc MemorySegment[count];
        for (int i = 0; i < count; i++)
        {
            segments[i] = new MemorySegment(outgoing.Process.Frames[first + i], (int)KernelConstants.PageSize);
        }

        outgoing.Transfer = OutputTo(outgoing.TargetNode).Write(segments);
    }

    private IPortalOutput OutputTo(int target)
    {
        if (!_outputs.TryGetValue(target, out IPortalOutput? output))
        {
            output = noc.OpenPortal(here, target, MigrationDaemon.Channel);
            output.Notify(daemon, MigrationDaemon.OutputDone);
            _outputs[target] = output;
        }

        return output;
    }

    private void Refuse(MigrationTicket ticket, string? reason, ulong now)
    {
        ticket.State = MigrationState.Refused;
        ticket.Cycle = now;
        ticket.Refusal = reason ?? "the move failed";
        if (ticket.ByProcess)
        {
            kernel.CompleteMigrationRequest(ticket.Pid, -Errno.EBUSY);
        }

        ended(ticket);
    }

    private sealed record Waiting(MigrationTicket Ticket, ulong Since)
    {
        /// <summary>The pre-copy rounds that came before, for a pre-copy move whose rounds are over.</summary>
        public PrecopyRun? Precopy { get; init; }

        /// <summary>True once a post-copy move cleared the accessed bits: the freeze that follows sees the pages touched since.</summary>
        public bool AccessCleared { get; init; }
    }

    private sealed class Outgoing(MigrationTicket ticket, OutgoingProcess process, MoveId move, int targetNode, ulong frozen, ulong manifestDue, List<(int First, int Count)> regions)
    {
        public MigrationTicket Ticket { get; } = ticket;

        public OutgoingProcess Process { get; } = process;

        public MoveId Move { get; } = move;

        public int TargetNode { get; } = targetNode;

        public ulong Frozen { get; } = frozen;

        public ulong ManifestDue { get; } = manifestDue;

        public ulong ManifestSent { get; set; }

        public List<(int First, int Count)> Regions { get; } = regions;

        /// <summary>The pre-copy rounds before the freeze, or null (stop-and-copy).</summary>
        public PrecopyRun? Precopy { get; init; }

        public int NextRegion { get; set; }

        public int Transfer { get; set; } = -1;

        /// <summary>The last cycle something of the move happened: the manifest sent, a region delivered.</summary>
        public ulong LastNews { get; set; }

        /// <summary>How long the source waits for news before it sends the manifest again.</summary>
        public ulong Patience { get; set; }

        /// <summary>The cycle of the check scheduled last (earlier checks are stale).</summary>
        public ulong CheckDue { get; set; }

        /// <summary>Times the manifest was sent again.</summary>
        public int Resent { get; set; }
    }
}
