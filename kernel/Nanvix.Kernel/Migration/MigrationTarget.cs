using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The target side of a migration daemon: processes coming here, one at a time, the others announced waiting their
/// turn. It reserves for a process or refuses it, allows its regions one after another on the kernel's portal channel,
/// restores it and answers Done (or Refused, Failed); it answers a manifest sent again from its last answers, and sends
/// Done again until the source confirms with Evicted that it freed the process.
/// </summary>
internal sealed class MigrationTarget(
    IClusterKernel kernel,
    EventScheduler scheduler,
    IReadOnlyList<ICluster> clusters,
    int here,
    IPortalInput input,
    IEventTarget daemon,
    PortalMoveNews news,
    PagePuller puller)
{
    private readonly Queue<Announced> _announced = new();

    /// <summary>The last answers given here (Done, Refused, Failed), to answer a manifest sent again.</summary>
    private readonly AnswerRing _answered = new(MigrationDaemon.AnsweredLimit);

    /// <summary>Moves to here whose source has not said yet that it freed the process (it may not move on before).</summary>
    private readonly List<Unconfirmed> _unconfirmed = [];

    private Incoming? _incoming;

    /// <summary>True while a process comes here, or one is announced.</summary>
    public bool Busy => _incoming is not null || _announced.Count > 0;

    /// <summary>True while a move of process <paramref name="pid"/> to here waits for its source's Evicted.</summary>
    public bool IsUnconfirmed(int pid) => _unconfirmed.Exists(u => u.Move.Pid == pid);

    /// <summary>
    /// A manifest came: dropped if its move is under way here (sent again, nothing was lost that this side needs),
    /// answered again if its move was answered (the answer was lost), else announced.
    /// </summary>
    public void OnManifest(ReadOnlySpan<byte> body, MoveHeader header, ulong now)
    {
        if (_incoming is { } incoming && incoming.Announced.Move == header.Move)
        {
            if (incoming.Precopying && !incoming.BatchAllowed)
            {
                TakeTheRest(incoming, body, now);
            }

            return;
        }

        if (_announced.Any(a => a.Move == header.Move))
        {
            return;
        }

        if (_answered.Find(header.Move) is { } answer)
        {
            kernel.SendKernelMessage(header.Move.Source, answer);
            return;
        }

        (int regionBytes, int pageCount, bool byProcess) = MigrationMessage.ReadManifest(body);
        _announced.Enqueue(new Announced(header.Move, regionBytes, pageCount, byProcess));
        TakeNextIncoming();
    }

    /// <summary>
    /// A pre-copy batch's notice came: the batch expected next of the move under way here is allowed; the first batch of
    /// a new move announces it; a copy is dropped, one of a move answered is answered again.
    /// </summary>
    public void OnBatch(ReadOnlySpan<byte> body, MoveHeader header, ulong now)
    {
        (int batch, int pages, bool byProcess) = MigrationMessage.ReadPrecopyBatch(body);
        if (_incoming is { } incoming && incoming.Announced.Move == header.Move)
        {
            if (incoming.Precopying && !incoming.BatchAllowed && batch == incoming.NextBatch)
            {
                incoming.LastNews = now;
                AllowBatch(incoming, pages);
            }

            return;
        }

        if (_announced.Any(a => a.Move == header.Move))
        {
            return;
        }

        if (_answered.Find(header.Move) is { } answer)
        {
            kernel.SendKernelMessage(header.Move.Source, answer);
            return;
        }

        if (batch != 0 || (uint)pages > PrecopySource.BatchPages)
        {
            // A later batch of a move this side no longer knows (or a bad notice): the source must stop.
            Answer(header.Move, MigrationMessageKind.Failed, $"{kernel.Cluster.Name} holds no pre-copy of this move");
            return;
        }

        _announced.Enqueue(new Announced(header.Move, 0, pages, byProcess) { Precopy = true });
        TakeNextIncoming();
    }

    /// <summary>The source called its pre-copy move off: what came of it is dropped, with no answer.</summary>
    public void Cancelled(MoveId move)
    {
        if (_announced.Any(a => a.Move == move))
        {
            Announced[] kept = [.. _announced.Where(a => a.Move != move)];
            _announced.Clear();
            foreach (Announced announced in kept)
            {
                _announced.Enqueue(announced);
            }
        }

        if (_incoming is { Precopying: true } incoming && incoming.Announced.Move == move)
        {
            Drop(incoming, answer: false, "the source called the pre-copy off");
        }
    }

    /// <summary>
    /// The lease of a pre-copy move under way here is checked: with no news of it for <see cref="MigrationDaemon.PrecopyLeaseCycles"/>
    /// (its source went silent, or its Cancelled was lost), it is dropped and the source told Failed.
    /// </summary>
    public void CheckLease(ulong now)
    {
        if (_incoming is not { Precopying: true } incoming || now < incoming.LastNews + MigrationDaemon.PrecopyLeaseCycles)
        {
            if (_incoming is { Precopying: true } waiting)
            {
                scheduler.Schedule(waiting.LastNews + MigrationDaemon.PrecopyLeaseCycles, daemon, MigrationDaemon.CheckLease, "migration.lease");
            }

            return;
        }

        Drop(incoming, answer: true, $"no news of the pre-copy for {MigrationDaemon.PrecopyLeaseCycles} cycles");
    }

    /// <summary>
    /// Drops a pre-copy move under way here before its last part, and remembers (or sends) Failed for it. A batch on
    /// the wires is waited for first: its frames are freed only once it has landed.
    /// </summary>
    private void Drop(Incoming incoming, bool answer, string reason)
    {
        if (incoming.BatchAllowed && !input.Revoke())
        {
            incoming.DropWhenLanded = reason;
            return;
        }

        kernel.Discard(incoming.Process);
        _incoming = null;
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WriteRefusal(body, MigrationMessageKind.Failed, incoming.Announced.Move, here, reason);
        if (answer)
        {
            SendAnswer(incoming.Announced.Move, body[..length]);
        }
        else
        {
            _answered.Remember(incoming.Announced.Move, body[..length]);
        }

        TakeNextIncoming();
    }

    /// <summary>The frames of the next pre-copy batch, and the allow for it and its page list; refused when memory is short.</summary>
    private void AllowBatch(Incoming incoming, int pages)
    {
        if (!kernel.AllowBatch(incoming.Process, pages, out string? refusal))
        {
            if (incoming.Process.Precopied.Count == 0)
            {
                Abort(incoming, MigrationMessageKind.Refused, refusal);
                return;
            }

            // Pages came already, and a page that comes again needs a frame beside its older copy until it lands: the
            // rounds end here, and the rest goes frozen (the stale copies are freed before the last pages are mapped).
            Span<byte> full = stackalloc byte[MigrationMessage.Bytes];
            kernel.SendKernelMessage(incoming.Announced.Move.Source, full[..MigrationMessage.WritePrecopyFull(full, incoming.Announced.Move, here)]);
            return;
        }

        Span<MemorySegment> segments = stackalloc MemorySegment[pages + 1];
        segments[0] = new MemorySegment(incoming.Process.Staging[0], (int)KernelConstants.PageSize);
        for (int i = 0; i < pages; i++)
        {
            segments[i + 1] = new MemorySegment(incoming.Process.BatchFrames[i], (int)KernelConstants.PageSize);
        }

        incoming.BatchAllowed = true;
        input.Allow(incoming.Announced.Move.Source, segments);
    }

    /// <summary>The last part of a pre-copy move is announced: the kernel state is allowed as for a stop-and-copy move.</summary>
    private void TakeTheRest(Incoming incoming, ReadOnlySpan<byte> body, ulong now)
    {
        (int regionBytes, int pageCount, bool byProcess) = MigrationMessage.ReadManifest(body);
        incoming.Precopying = false;
        incoming.LastNews = now;
        incoming.Announced = incoming.Announced with { RegionBytes = regionBytes, PageCount = pageCount, ByProcess = byProcess };
        if (!kernel.Restage(incoming.Process, regionBytes, pageCount, out string? refusal))
        {
            Abort(incoming, MigrationMessageKind.Refused, refusal);
            return;
        }

        Span<MemorySegment> segments = stackalloc MemorySegment[MigrationDaemon.MaxPagesPerTransfer];
        input.Allow(incoming.Announced.Move.Source, MigrationSource.StagingSegments(incoming.Process.Staging, regionBytes, segments));
    }

    /// <summary>The source of <paramref name="move"/> freed its process: it may move on from here.</summary>
    public void Confirmed(MoveId move) => _unconfirmed.RemoveAll(u => u.Move == move);

    /// <summary>A region landed (or was lost): map after the kernel state, allow the next region, or restore after the last.</summary>
    public void RegionArrived(ulong now)
    {
        Incoming? incoming = _incoming;
        if (incoming is null || !input.TryComplete(out int bytes, out _))
        {
            return;
        }

        MoveId move = incoming.Announced.Move;
        if (incoming.DropWhenLanded is { } dropped)
        {
            incoming.BatchAllowed = false;
            Drop(incoming, answer: false, dropped);
            return;
        }

        if (bytes < 0)
        {
            Abort(incoming, MigrationMessageKind.Failed, $"a region of the move was lost on the NoC between {move.Source} and {here}");
            return;
        }

        if (incoming.Precopying)
        {
            // A pre-copy batch: its frames now hold the pages its list names.
            kernel.BatchLanded(incoming.Process);
            incoming.BatchAllowed = false;
            incoming.NextBatch++;
            incoming.LastNews = now;
            return;
        }

        if (incoming.NextRegion == 0 && !kernel.Map(incoming.Process, out string? refusal))
        {
            Abort(incoming, MigrationMessageKind.Refused, refusal);
            return;
        }

        ProcessSnapshot snapshot = incoming.Process.Snapshot!;
        int sections = snapshot.SentSectionPages;
        int sent = sections + snapshot.SentStackPages;
        int first = incoming.NextFirst;
        if (first < sent)
        {
            // The same cut as the source's: sections, then stacks (those not pre-copied), at most 1 MB a transfer.
            int end = first < sections ? sections : sent;
            int count = Math.Min(MigrationDaemon.MaxPagesPerTransfer, end - first);
            Span<MemorySegment> segments = stackalloc MemorySegment[count];
            for (int i = 0; i < count; i++)
            {
                segments[i] = new MemorySegment(incoming.Process.Frames[first + i], (int)KernelConstants.PageSize);
            }

            incoming.NextRegion++;
            incoming.NextFirst = first + count;
            input.Allow(move.Source, segments);
            return;
        }

        // Everything is here: the kernel state goes into the tables, a word a cycle, and a page-table entry per page.
        ulong copy = ((ulong)(incoming.Process.RegionBytes / 4) + (ulong)snapshot.Pages.Count) * KernelConstants.CopyCyclesPerWord;
        ulong ready = kernel.Restore(incoming.Process, now, copy);
        ulong restore = ready - now;
        kernel.AnnounceRelocation(move.Pid);
        if (incoming.Process.PullFrames.Count > 0)
        {
            // Post-copy: the pages left on the source come from now on, those the threads touch first.
            List<uint> left = [.. snapshot.Pages.Where((_, i) => snapshot.RouteOf(i) == PageRoute.OnDemand).Select(p => p.Virtual)];
            puller.Start(move, move.Source, left, incoming.Process.PullFrames, ready);
        }

        // Peers' moves heard while this process was on its way apply to it now, in the order they happened.
        news.ApplyAll(now);

        if (snapshot.Portals.Count > 0)
        {
            // Every kernel hears it: peers that wrote to the old node, or read from it, now pair with this one.
            Span<byte> notice = stackalloc byte[MigrationMessage.MaxBytes];
            int length = MigrationMessage.WritePortalsMoved(notice, move, here, snapshot.Portals);
            foreach (ICluster cluster in clusters)
            {
                if (cluster.Kind == ClusterKind.Compute && cluster.NocNodes[0] != here)
                {
                    kernel.SendKernelMessage(cluster.NocNodes[0], notice[..length]);
                }
            }
        }

        _incoming = null;
        Span<byte> done = stackalloc byte[MigrationMessage.MaxBytes];
        int doneLength = MigrationMessage.WriteDone(done, move, here, now, restore, ready);
        SendAnswer(move, done[..doneLength]);
        var waiting = new Unconfirmed(move, done[..doneLength].ToArray()) { Patience = MigrationDaemon.AnswerTimeoutCycles, CheckDue = now + MigrationDaemon.AnswerTimeoutCycles };
        _unconfirmed.Add(waiting);
        scheduler.Schedule(waiting.CheckDue, daemon, MigrationDaemon.CheckEvicted, "migration.evicted");
        if (incoming.Announced.ByProcess)
        {
            kernel.CompleteMigrationRequest(move.Pid, 0);
        }

        TakeNextIncoming();
    }

    /// <summary>The target's wait for Evicted is up for the moves due now: Done goes again, and the wait doubles.</summary>
    public void CheckForEvicted(ulong now)
    {
        foreach (Unconfirmed waiting in _unconfirmed)
        {
            if (waiting.CheckDue == now)
            {
                kernel.SendKernelMessage(waiting.Move.Source, waiting.Done);
                waiting.Patience *= 2;
                waiting.CheckDue = now + waiting.Patience;
                scheduler.Schedule(waiting.CheckDue, daemon, MigrationDaemon.CheckEvicted, "migration.evicted");
            }
        }
    }

    /// <summary>Takes the next announced process, if none is arriving: reserve for it and allow its kernel state, or refuse it.</summary>
    private void TakeNextIncoming()
    {
        Span<MemorySegment> segments = stackalloc MemorySegment[MigrationDaemon.MaxPagesPerTransfer];
        while (_incoming is null && _announced.Count > 0)
        {
            Announced announced = _announced.Dequeue();
            IncomingProcess? process = kernel.Reserve(announced.Move.Pid, announced.RegionBytes, announced.PageCount, out string? refusal);
            if (process is null)
            {
                Answer(announced.Move, MigrationMessageKind.Refused, refusal);
                continue;
            }

            process.Source = announced.Move.Source;
            _incoming = new Incoming(announced, process);
            if (announced.Precopy)
            {
                // A pre-copy move: its batches come while the process runs, then the rest as for a stop-and-copy move.
                _incoming.Precopying = true;
                _incoming.LastNews = scheduler.Now;
                scheduler.Schedule(scheduler.Now + MigrationDaemon.PrecopyLeaseCycles, daemon, MigrationDaemon.CheckLease, "migration.lease");
                AllowBatch(_incoming, announced.PageCount);
                continue;
            }

            input.Allow(announced.Move.Source, MigrationSource.StagingSegments(process.Staging, announced.RegionBytes, segments));
        }
    }

    private void Abort(Incoming incoming, MigrationMessageKind kind, string? reason)
    {
        kernel.Discard(incoming.Process);
        _incoming = null;
        Answer(incoming.Announced.Move, kind, reason);
        TakeNextIncoming();
    }

    /// <summary>Tells the source of <paramref name="move"/> that it cannot come here, and why.</summary>
    private void Answer(MoveId move, MigrationMessageKind kind, string? reason)
    {
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WriteRefusal(body, kind, move, here, reason ?? "the move failed");
        SendAnswer(move, body[..length]);
    }

    /// <summary>Sends the answer <paramref name="message"/> about <paramref name="move"/> to its source, and keeps it to send again.</summary>
    private void SendAnswer(MoveId move, ReadOnlySpan<byte> message)
    {
        _answered.Remember(move, message);
        kernel.SendKernelMessage(move.Source, message);
    }

    private readonly record struct Announced(MoveId Move, int RegionBytes, int PageCount, bool ByProcess)
    {
        /// <summary>True for a pre-copy move announced by its first batch (<see cref="PageCount"/> is that batch's).</summary>
        public bool Precopy { get; init; }
    }

    /// <summary>A move to here that its source has not confirmed with Evicted yet: its Done, to send again.</summary>
    private sealed class Unconfirmed(MoveId move, byte[] done)
    {
        public MoveId Move { get; } = move;

        public byte[] Done { get; } = done;

        public ulong Patience { get; set; }

        public ulong CheckDue { get; set; }
    }

    private sealed class Incoming(Announced announced, IncomingProcess process)
    {
        public Announced Announced { get; set; } = announced;

        /// <summary>True while a pre-copy move's batches come, before its last part is announced.</summary>
        public bool Precopying { get; set; }

        /// <summary>True while a pre-copy batch is allowed and has not landed.</summary>
        public bool BatchAllowed { get; set; }

        /// <summary>The number of the pre-copy batch expected next.</summary>
        public int NextBatch { get; set; }

        /// <summary>The last cycle something of a pre-copy move came (its lease runs from there).</summary>
        public ulong LastNews { get; set; }

        /// <summary>Why a pre-copy move is dropped once the batch on the wires has landed, or null.</summary>
        public string? DropWhenLanded { get; set; }

        public IncomingProcess Process { get; } = process;

        /// <summary>Regions allowed after the kernel state.</summary>
        public int NextRegion { get; set; }

        /// <summary>The first page of the next region to allow.</summary>
        public int NextFirst { get; set; }
    }
}
