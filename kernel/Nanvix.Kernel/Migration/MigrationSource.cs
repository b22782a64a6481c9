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
    MigrationTarget incoming)
{
    private readonly Dictionary<int, IPortalOutput> _outputs = [];

    /// <summary>The last moves from here whose process this daemon evicted, to answer a Done that comes again.</summary>
    private readonly MoveId[] _evicted = new MoveId[MigrationDaemon.AnsweredLimit];
    private int _evictedNext;

    private Waiting? _waiting;
    private bool _retryDue;
    private Outgoing? _outgoing;

    /// <summary>True while a process leaves from here, or a move waits for its process to settle.</summary>
    public bool Busy => _waiting is not null || _outgoing is not null;

    /// <summary>True when a move of one of this cluster's processes can be taken.</summary>
    public bool CanTake => _waiting is null && _outgoing is null;

    /// <summary>The move leaving from here, or null.</summary>
    public MigrationTicket? Moving => _outgoing?.Ticket;

    /// <summary>True while process <paramref name="pid"/> is leaving from here, or waits to.</summary>
    public bool IsMoving(int pid) => _outgoing?.Ticket.Pid == pid || _waiting?.Ticket.Pid == pid;

    /// <summary>True when <paramref name="move"/> is the move leaving from here.</summary>
    public bool IsLeaving(MoveId move) => _outgoing?.Move == move;

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
        int length = MigrationMessage.WriteManifest(body, outgoing.Move, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Snapshot.Pages.Count, outgoing.Ticket.ByProcess);
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
            int length = MigrationMessage.WriteManifest(body, outgoing.Move, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Snapshot.Pages.Count, outgoing.Ticket.ByProcess);
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
        kernel.Evict(outgoing.Process);
        _evicted[_evictedNext] = outgoing.Move;
        _evictedNext = (_evictedNext + 1) % _evicted.Length;
        SendEvicted(outgoing.Move, outgoing.TargetNode);
        MigrationTicket ticket = outgoing.Ticket;
        ticket.Watch.Stop();
        ProcessSnapshot snapshot = outgoing.Process.Snapshot;
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
            ticket.Watch.Elapsed);
        ticket.State = MigrationState.Done;
        ended(ticket);
    }

    /// <summary>The move of the process leaving from here was called off: it goes on here.</summary>
    public void Stayed(string reason, ulong now)
    {
        Outgoing outgoing = _outgoing!;
        _outgoing = null;
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
        else
        {
            process = kernel.Freeze(ticket.Pid, ticket.Target.NocNodes[0], out refusal, out retry);
        }
        if (process is null)
        {
            ticket.Watch.Stop();
            if (!retry || now - waiting.Since > MigrationDaemon.SettleLimitCycles)
            {
                _waiting = null;
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
        ProcessSnapshot snapshot = process.Snapshot;
        ulong gather = ((ulong)(snapshot.RegionBytes / 4) * KernelConstants.CopyCyclesPerWord) + process.GatherStallCycles;
        _outgoing = new Outgoing(ticket, process, new MoveId(ticket.Pid, process.Move, here), ticket.Target.NocNodes[0], now, now + gather, Regions(process));
        ticket.State = MigrationState.Moving;
        ticket.Cycle = now;
        scheduler.Schedule(now + gather, daemon, MigrationDaemon.SendManifest, "migration.manifest");
    }


    /// <summary>The regions after the kernel state: sections, then stacks, each cut into transfers of at most 1 MB.</summary>
    private static List<(int First, int Count)> Regions(OutgoingProcess process)
    {
        var regions = new List<(int, int)>();
        int sections = process.Snapshot.Pages.Count - process.Snapshot.StackPages;
        Cut(0, sections);
        Cut(sections, process.Snapshot.StackPages);
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

    private sealed record Waiting(MigrationTicket Ticket, ulong Since);

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
