using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The migration daemon of one compute cluster: it sends its processes away and takes in processes moving here,
/// over the NoC, one of each at a time (others wait their turn). It knows its own kernel, the NoC and the machine's
/// shape, and nothing of any other cluster: what it learns of a move comes in messages that name the move
/// (<see cref="MigrationMessage"/>), so two daemons that share only the NoC move a process between them. The
/// protocol, all of it timed by the NoC model:
/// <list type="number">
/// <item>Freeze on the source at a quantum boundary, and gather the kernel state into a staging area (a word a cycle).
/// A process with a thread inside a NoC operation on the wires is tried again, at the next quantum boundary or
/// <see cref="RetryCycles"/> later, for at most <see cref="SettleLimitCycles"/>.</item>
/// <item>A manifest by mailbox to the target's kernel port: the move, the bytes of kernel state, the user pages.</item>
/// <item>The target reserves a slot and a staging area, or refuses. It then allows the regions one after another on
/// the kernel's portal channel: the kernel state (with the page list, the contexts, the mailboxes and the portals), which it reads
/// to map the pages on frames of its own; then the sections and the stacks, page by page straight into those frames
/// (gather on the source, scatter on the target, up to 1 MB a transfer).</item>
/// <item>Restore on the target (a word a cycle for the kernel state and the page-table entries), tell the name
/// service (and every kernel, if the process has portals: their paired portals follow it), answer Done with the
/// target's figures; the source then frees everything, leaves forward entries for the mailboxes, and writes the report.</item>
/// </list>
/// A refusal or a region lost on the NoC (fault injection) answers Refused or Failed with the reason instead: the target
/// gives back what it reserved, the source thaws the process, which goes on as if nothing happened.
/// <para>
/// A message lost on the NoC is not the end of a move either. The source waits for an answer (its regions delivered one
/// after another, then Done, Refused or Failed); when nothing has happened for <see cref="AnswerTimeoutCycles"/> (then
/// twice that, and so on) it sends the manifest again. The target tells the copies of a manifest apart by the move's
/// identity: one of a move it has announced or is taking is dropped, one of a move it has answered is answered again
/// with the same message (it keeps its last <see cref="AnsweredLimit"/> answers), so a lost manifest, answer or Done
/// costs the wait and one message. A process is in two kernels' tables between Done and its eviction at the source,
/// so the source answers Done with Evicted, and until Evicted comes the target keeps the process from moving on (it
/// runs meanwhile) and sends Done again at the same intervals; the source answers a Done of a move it has evicted
/// (its last <see cref="AnsweredLimit"/>) with Evicted again. So a process never leaves a kernel that still holds it.
/// </para>
/// </summary>
public sealed class MigrationDaemon : IMigrationEndpoint, IEventTarget
{
    /// <summary>The kernel's portal channel; channel 0 is the processes'.</summary>
    public const int Channel = 1;

    /// <summary>
    /// How long a move waits for its process to settle before it is refused: 20 M cycles (50 ms at 400 MHz), well past
    /// the longest NoC operation a thread can be inside (a 1 MB portal write in nanvix timing, about 4.4 M cycles).
    /// </summary>
    public const ulong SettleLimitCycles = 20_000_000;

    /// <summary>While a move waits for its process to settle, it is tried again at least this often (about one quantum).</summary>
    public const ulong RetryCycles = 10_000;

    private const int MaxPagesPerTransfer = NetworkOnChip.MaxPortalWriteBytes / (int)KernelConstants.PageSize;

    private const int HeardLimit = 64;

    /// <summary>
    /// How long the source waits with no news of its move before it sends the manifest again: 10 M cycles (25 ms at
    /// 400 MHz), past the longest gap between two regions of a healthy move (a 1 MB portal write in nanvix timing, about
    /// 4.4 M cycles); it doubles after each try.
    /// </summary>
    public const ulong AnswerTimeoutCycles = 10_000_000;

    /// <summary>Answers a target keeps, to answer a manifest sent again (a move answered long before is never asked again).</summary>
    public const int AnsweredLimit = 64;

    private const long SendManifest = 1;
    private const long InputArrived = 2;
    private const long OutputDone = 3;
    private const long Retry = 4;
    private const long CheckAnswer = 5;
    private const long CheckEvicted = 6;

    private readonly INoc _noc;
    private readonly EventScheduler _scheduler;
    private readonly IReadOnlyList<ICluster> _clusters;
    private readonly long _frequencyHz;
    private readonly Action<MigrationTicket> _ended;
    private readonly Action<MigrationTicket> _asked;
    private readonly IPortalInput _input;
    private readonly Dictionary<int, IPortalOutput> _outputs = [];
    private readonly Queue<Announced> _announced = new();

    /// <summary>Portal moves of other processes heard lately (the newest <see cref="HeardLimit"/>).</summary>
    private readonly List<byte[]> _heard = [];

    /// <summary>The last answers this daemon gave as a target (Done, Refused, Failed), by move, oldest overwritten first.</summary>
    private readonly (MoveId Move, byte[] Message)[] _answered = new (MoveId, byte[])[AnsweredLimit];
    private int _answeredNext;

    /// <summary>Moves to here whose source has not said yet that it freed the process (it may not move on before).</summary>
    private readonly List<Unconfirmed> _unconfirmed = [];

    /// <summary>The last moves from here whose process this daemon evicted, to answer a Done that comes again.</summary>
    private readonly MoveId[] _evicted = new MoveId[AnsweredLimit];
    private int _evictedNext;

    private Waiting? _waiting;
    private bool _retryDue;
    private Outgoing? _outgoing;
    private Incoming? _incoming;

    /// <param name="kernel">The kernel of this daemon's cluster.</param>
    /// <param name="processor">The machine: its NoC, its event scheduler, its clusters (to find a node's cluster).</param>
    /// <param name="ended">Told when a move taken by this daemon ends, done or refused (the ticket says which).</param>
    /// <param name="asked">Told when a process of this cluster asks to move itself (kernel call <c>migrate</c>), with the new ticket.</param>
    public MigrationDaemon(IClusterKernel kernel, IProcessor processor, Action<MigrationTicket> ended, Action<MigrationTicket> asked)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentNullException.ThrowIfNull(asked);
        Kernel = kernel;
        _noc = processor.Noc;
        _scheduler = processor.Scheduler;
        _clusters = processor.Clusters;
        _frequencyHz = processor.Spec.FrequencyHz;
        _ended = ended;
        _asked = asked;
        Node = kernel.Cluster.NocNodes[0];
        _input = _noc.CreatePortal(Node, Channel);
        _input.Notify(this, InputArrived);
        kernel.MigrationEndpoint = this;
    }

    public IClusterKernel Kernel { get; }

    public int Node { get; }

    /// <summary>True while a process leaves from here or comes here, one is announced, or a move waits for its process to settle.</summary>
    public bool Busy => _waiting is not null || _outgoing is not null || _incoming is not null || _announced.Count > 0;

    /// <summary>True when this daemon can take a move of one of its processes (<see cref="Take"/>).</summary>
    public bool CanTake => _waiting is null && _outgoing is null;

    /// <summary>The move leaving from here, or null.</summary>
    public MigrationTicket? Moving => _outgoing?.Ticket;

    /// <summary>True while process <paramref name="pid"/> is leaving from here, or waits to.</summary>
    public bool IsMoving(int pid) => _outgoing?.Ticket.Pid == pid || _waiting?.Ticket.Pid == pid;

    /// <summary>
    /// Takes the move of <paramref name="ticket"/> (its process runs here; <see cref="CanTake"/> must be true) at cycle
    /// <paramref name="now"/>: freeze the process and send the manifest once its kernel state is gathered, or, while
    /// it cannot be frozen yet, try again later. From now on the ticket is this daemon's until <c>ended</c> is told.
    /// </summary>
    public void Take(MigrationTicket ticket, ulong now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!CanTake)
        {
            throw new InvalidOperationException($"{Kernel.Cluster.Name}: kernel bug: a move given to a busy migration daemon");
        }

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

    /// <inheritdoc/>
    public bool Request(int pid, int node)
    {
        ICluster? target = null;
        foreach (ICluster cluster in _clusters)
        {
            if (cluster.Kind == ClusterKind.Compute && cluster.NocNodes.Contains(node))
            {
                target = cluster;
            }
        }

        if (target is null)
        {
            return false;
        }

        _asked(new MigrationTicket(pid, target, 0, byProcess: true));
        return true;
    }

    private void TryFreeze(ulong now)
    {
        Waiting waiting = _waiting!;
        MigrationTicket ticket = waiting.Ticket;
        ticket.Watch.Start();
        if (!Kernel.HasProcess(ticket.Pid))
        {
            // It ended while its move waited here (to settle, or for the node it came from to free it).
            ticket.Watch.Stop();
            _waiting = null;
            Refuse(ticket, $"process {ticket.Pid} ended (on {Kernel.Cluster.Name}) before it could move", now);
            return;
        }

        OutgoingProcess? process = null;
        string? refusal;
        bool retry = true;
        if (_unconfirmed.Exists(u => u.Move.Pid == ticket.Pid))
        {
            refusal = $"process {ticket.Pid}: the node it came from has not freed it yet";
        }
        else
        {
            process = Kernel.Freeze(ticket.Pid, ticket.Target.NocNodes[0], out refusal, out retry);
        }
        if (process is null)
        {
            ticket.Watch.Stop();
            if (!retry || now - waiting.Since > SettleLimitCycles)
            {
                _waiting = null;
                Refuse(ticket, retry ? $"{refusal}, for longer than {SettleLimitCycles} cycles" : refusal, now);
            }
            else if (!_retryDue)
            {
                _retryDue = true;
                _scheduler.Schedule(now + RetryCycles, this, Retry, "migration.retry");
            }

            return;
        }

        _waiting = null;
        ProcessSnapshot snapshot = process.Snapshot;
        ulong gather = ((ulong)(snapshot.RegionBytes / 4) * KernelConstants.CopyCyclesPerWord) + process.GatherStallCycles;
        _outgoing = new Outgoing(ticket, process, new MoveId(ticket.Pid, process.Move, Node), ticket.Target.NocNodes[0], now, now + gather, Regions(process));
        ticket.State = MigrationState.Moving;
        ticket.Cycle = now;
        _scheduler.Schedule(now + gather, this, SendManifest, "migration.manifest");
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        switch (argument)
        {
            case SendManifest:
                SendTheManifest(cycle);
                break;
            case InputArrived:
                RegionArrived(cycle);
                break;
            case OutputDone:
                if (_outgoing is not null)
                {
                    _outgoing.LastNews = cycle;
                }

                WriteNextRegion();
                break;
            case CheckAnswer:
                CheckForAnswer(cycle);
                break;
            case CheckEvicted:
                CheckForEvicted(cycle);
                break;
            case Retry:
                _retryDue = false;
                Poll(Math.Max(cycle, Kernel.Statistics.Cycles));
                break;
        }
    }

    void IMigrationEndpoint.OnMessage(ReadOnlySpan<byte> body, ulong now)
    {
        MoveHeader header = MigrationMessage.Header(body);
        switch (header.Kind)
        {
            case MigrationMessageKind.Manifest when _incoming?.Announced.Move == header.Move || _announced.Any(a => a.Move == header.Move):
                // Sent again while the move is under way here: nothing was lost that this daemon needs.
                break;
            case MigrationMessageKind.Manifest when Array.FindIndex(_answered, a => a.Move == header.Move && a.Message is not null) is int answered and >= 0:
                // Sent again because the answer was lost: the same answer again.
                Kernel.SendKernelMessage(header.Move.Source, _answered[answered].Message);
                break;
            case MigrationMessageKind.Manifest:
                (int regionBytes, int pageCount, bool byProcess) = MigrationMessage.ReadManifest(body);
                _announced.Enqueue(new Announced(header.Move, regionBytes, pageCount, byProcess));
                TakeNextIncoming();
                break;
            case MigrationMessageKind.Done when _outgoing?.Move == header.Move:
                (ulong arrived, ulong restore, ulong ready) = MigrationMessage.ReadDone(body);
                Moved(arrived, restore, ready);
                break;
            case MigrationMessageKind.Done when Array.IndexOf(_evicted, header.Move) >= 0:
                // Sent again because Evicted was lost.
                SendEvicted(header.Move, header.Sender);
                break;
            case MigrationMessageKind.Evicted:
                _unconfirmed.RemoveAll(u => u.Move == header.Move);
                break;
            case MigrationMessageKind.Refused or MigrationMessageKind.Failed when _outgoing?.Move == header.Move:
                Stayed(MigrationMessage.ReadRefusal(body), now);
                break;
            case MigrationMessageKind.PortalsMoved:
                ApplyPortalsMoved(body, now);

                // Kept for a process arriving here meanwhile, and passed on with a process leaving from here: their
                // portals were copied before the news came.
                if (_heard.Count == HeardLimit)
                {
                    _heard.RemoveAt(0);
                }

                _heard.Add(body.ToArray());
                if (_outgoing is not null)
                {
                    Kernel.SendKernelMessage(_outgoing.TargetNode, body);
                }

                break;
        }
    }

    private void ApplyPortalsMoved(ReadOnlySpan<byte> body, ulong now)
    {
        MoveHeader header = MigrationMessage.Header(body);
        Span<(bool, int, int)> moved = stackalloc (bool, int, int)[KernelConstants.IkcDescriptorsPerProcess];
        int count = MigrationMessage.ReadPortalsMoved(body, moved, out int to);
        Kernel.PortalPeerMoved(header.Move.Pid, header.Move.Source, to, header.Move.Number, moved[..count], now);
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
            for (int at = first; at < first + count; at += MaxPagesPerTransfer)
            {
                regions.Add((at, Math.Min(MaxPagesPerTransfer, first + count - at)));
            }
        }
    }

    private void SendTheManifest(ulong now)
    {
        Outgoing outgoing = _outgoing!;
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WriteManifest(body, outgoing.Move, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Snapshot.Pages.Count, outgoing.Ticket.ByProcess);
        outgoing.ManifestSent = now;
        if (!Kernel.SendKernelMessage(outgoing.TargetNode, body[..length]))
        {
            Stayed($"{outgoing.Ticket.Target.Name} does not listen", now);
            return;
        }

        outgoing.LastNews = now;
        outgoing.Patience = AnswerTimeoutCycles;
        outgoing.CheckDue = now + outgoing.Patience;
        _scheduler.Schedule(outgoing.CheckDue, this, CheckAnswer, "migration.check");

        // The first region, the kernel state, waits on the NoC until the target allows it.
        IPortalOutput output = OutputTo(outgoing.TargetNode);
        Span<MemorySegment> segments = stackalloc MemorySegment[outgoing.Process.Staging.Length];
        outgoing.Transfer = output.Write(StagingSegments(outgoing.Process.Staging, outgoing.Process.Snapshot.RegionBytes, segments));
    }

    /// <summary>
    /// The source's wait for news of its move is up: if nothing came since (no region delivered, no answer), the manifest
    /// or the target's answer may have been lost, so the manifest goes again and the wait doubles.
    /// </summary>
    private void CheckForAnswer(ulong now)
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
            Kernel.SendKernelMessage(outgoing.TargetNode, body[..length]);
            outgoing.Resent++;
            outgoing.LastNews = now;
            outgoing.Patience *= 2;
        }

        outgoing.CheckDue = outgoing.LastNews + outgoing.Patience;
        _scheduler.Schedule(outgoing.CheckDue, this, CheckAnswer, "migration.check");
    }

    /// <summary>The target's wait for Evicted is up for the moves due now: Done goes again, and the wait doubles.</summary>
    private void CheckForEvicted(ulong now)
    {
        foreach (Unconfirmed waiting in _unconfirmed)
        {
            if (waiting.CheckDue == now)
            {
                Kernel.SendKernelMessage(waiting.Move.Source, waiting.Done);
                waiting.Patience *= 2;
                waiting.CheckDue = now + waiting.Patience;
                _scheduler.Schedule(waiting.CheckDue, this, CheckEvicted, "migration.evicted");
            }
        }
    }

    /// <summary>Tells the target of <paramref name="move"/> (node <paramref name="target"/>) that its process is freed here.</summary>
    private void SendEvicted(MoveId move, int target)
    {
        Span<byte> body = stackalloc byte[MigrationMessage.Bytes];
        Kernel.SendKernelMessage(target, body[..MigrationMessage.WriteEvicted(body, move, Node)]);
    }

    /// <summary>Sends the answer <paramref name="message"/> about <paramref name="move"/> to its source, and keeps it to send again.</summary>
    private void SendAnswer(MoveId move, ReadOnlySpan<byte> message)
    {
        _answered[_answeredNext] = (move, message.ToArray());
        _answeredNext = (_answeredNext + 1) % AnsweredLimit;
        Kernel.SendKernelMessage(move.Source, message);
    }

    /// <summary>The source's last write is over: post the next region, unless it was lost (the target answers Failed).</summary>
    private void WriteNextRegion()
    {
        Outgoing? outgoing = _outgoing;
        if (outgoing is null || outgoing.Transfer < 0 || _noc.Transfer(outgoing.Transfer).State != TransferState.Delivered)
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

    /// <summary>The staging pages holding <paramref name="bytes"/> bytes of kernel state as a list of segments, in <paramref name="into"/>.</summary>
    private static Span<MemorySegment> StagingSegments(uint[] pages, int bytes, Span<MemorySegment> into)
    {
        for (int i = 0; i < pages.Length; i++)
        {
            int offset = i * (int)KernelConstants.PageSize;
            into[i] = new MemorySegment(pages[i], Math.Clamp(bytes - offset, 1, (int)KernelConstants.PageSize));
        }

        return into[..pages.Length];
    }

    private IPortalOutput OutputTo(int node)
    {
        if (!_outputs.TryGetValue(node, out IPortalOutput? output))
        {
            output = _noc.OpenPortal(Node, node, Channel);
            output.Notify(this, OutputDone);
            _outputs[node] = output;
        }

        return output;
    }

    /// <summary>Takes the next announced process, if none is arriving: reserve for it and allow its kernel state, or refuse it.</summary>
    private void TakeNextIncoming()
    {
        Span<MemorySegment> segments = stackalloc MemorySegment[MaxPagesPerTransfer];
        while (_incoming is null && _announced.Count > 0)
        {
            Announced announced = _announced.Dequeue();
            IncomingProcess? process = Kernel.Reserve(announced.Move.Pid, announced.RegionBytes, announced.PageCount, out string? refusal);
            if (process is null)
            {
                Answer(announced.Move, MigrationMessageKind.Refused, refusal);
                continue;
            }

            process.Source = announced.Move.Source;
            _incoming = new Incoming(announced, process);
            _input.Allow(announced.Move.Source, StagingSegments(process.Staging, announced.RegionBytes, segments));
        }
    }

    /// <summary>A region landed (or was lost): map after the kernel state, allow the next region, or restore after the last.</summary>
    private void RegionArrived(ulong now)
    {
        Incoming? incoming = _incoming;
        if (incoming is null || !_input.TryComplete(out int bytes, out _))
        {
            return;
        }

        MoveId move = incoming.Announced.Move;
        if (bytes < 0)
        {
            Abort(incoming, MigrationMessageKind.Failed, $"a region of the move was lost on the NoC between {move.Source} and {Node}");
            return;
        }

        if (incoming.NextRegion == 0 && !Kernel.Map(incoming.Process, out string? refusal))
        {
            Abort(incoming, MigrationMessageKind.Refused, refusal);
            return;
        }

        ProcessSnapshot snapshot = incoming.Process.Snapshot!;
        int sections = snapshot.Pages.Count - snapshot.StackPages;
        int first = incoming.NextFirst;
        if (first < snapshot.Pages.Count)
        {
            // The same cut as the source's: sections, then stacks, at most 1 MB a transfer.
            int end = first < sections ? sections : snapshot.Pages.Count;
            int count = Math.Min(MaxPagesPerTransfer, end - first);
            Span<MemorySegment> segments = stackalloc MemorySegment[count];
            for (int i = 0; i < count; i++)
            {
                segments[i] = new MemorySegment(incoming.Process.Frames[first + i], (int)KernelConstants.PageSize);
            }

            incoming.NextRegion++;
            incoming.NextFirst = first + count;
            _input.Allow(move.Source, segments);
            return;
        }

        // Everything is here: the kernel state goes into the tables, a word a cycle, and a page-table entry per page.
        ulong copy = ((ulong)(incoming.Process.RegionBytes / 4) + (ulong)snapshot.Pages.Count) * KernelConstants.CopyCyclesPerWord;
        ulong ready = Kernel.Restore(incoming.Process, now, copy);
        ulong restore = ready - now;
        Kernel.AnnounceRelocation(move.Pid);
        // Peers' moves heard while this process was on its way apply to it now, in the order they happened.
        foreach (byte[] heard in _heard.OrderBy(h => MigrationMessage.Header(h).Move.Number))
        {
            ApplyPortalsMoved(heard, now);
        }

        if (snapshot.Portals.Count > 0)
        {
            // Every kernel hears it: peers that wrote to the old node, or read from it, now pair with this one.
            Span<byte> notice = stackalloc byte[MigrationMessage.MaxBytes];
            int length = MigrationMessage.WritePortalsMoved(notice, move, Node, snapshot.Portals);
            foreach (ICluster cluster in _clusters)
            {
                if (cluster.Kind == ClusterKind.Compute && cluster.NocNodes[0] != Node)
                {
                    Kernel.SendKernelMessage(cluster.NocNodes[0], notice[..length]);
                }
            }
        }

        _incoming = null;
        Span<byte> done = stackalloc byte[MigrationMessage.MaxBytes];
        int doneLength = MigrationMessage.WriteDone(done, move, Node, now, restore, ready);
        SendAnswer(move, done[..doneLength]);
        var waiting = new Unconfirmed(move, done[..doneLength].ToArray()) { Patience = AnswerTimeoutCycles, CheckDue = now + AnswerTimeoutCycles };
        _unconfirmed.Add(waiting);
        _scheduler.Schedule(waiting.CheckDue, this, CheckEvicted, "migration.evicted");
        if (incoming.Announced.ByProcess)
        {
            Kernel.CompleteMigrationRequest(move.Pid, 0);
        }

        TakeNextIncoming();
    }

    private void Abort(Incoming incoming, MigrationMessageKind kind, string? reason)
    {
        Kernel.Discard(incoming.Process);
        _incoming = null;
        Answer(incoming.Announced.Move, kind, reason);
        TakeNextIncoming();
    }

    /// <summary>Tells the source of <paramref name="move"/> that it cannot come here, and why.</summary>
    private void Answer(MoveId move, MigrationMessageKind kind, string? reason)
    {
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WriteRefusal(body, kind, move, Node, reason ?? "the move failed");
        SendAnswer(move, body[..length]);
    }

    /// <summary>The process leaving from here runs on the target: free it here and write the report from both halves.</summary>
    private void Moved(ulong arrived, ulong restore, ulong ready)
    {
        Outgoing outgoing = _outgoing!;
        _outgoing = null;
        Kernel.Evict(outgoing.Process);
        _evicted[_evictedNext] = outgoing.Move;
        _evictedNext = (_evictedNext + 1) % AnsweredLimit;
        SendEvicted(outgoing.Move, outgoing.TargetNode);
        MigrationTicket ticket = outgoing.Ticket;
        ticket.Watch.Stop();
        ProcessSnapshot snapshot = outgoing.Process.Snapshot;
        ticket.Report = new MigrationReport(
            ticket.Pid,
            Kernel.Cluster.Name,
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
            (ready - outgoing.Frozen) * 1e6 / _frequencyHz,
            ticket.Watch.Elapsed);
        ticket.State = MigrationState.Done;
        _ended(ticket);
    }

    /// <summary>The move of the process leaving from here was called off: it goes on here.</summary>
    private void Stayed(string reason, ulong now)
    {
        Outgoing outgoing = _outgoing!;
        _outgoing = null;
        if (_outputs.Remove(outgoing.TargetNode, out IPortalOutput? output))
        {
            // A region still waiting for an allow that will not come is cancelled with its output.
            output.Dispose();
        }

        Kernel.Thaw(outgoing.Process, now);
        outgoing.Ticket.Watch.Stop();
        Refuse(outgoing.Ticket, reason, now);
    }

    private void Refuse(MigrationTicket ticket, string? reason, ulong now)
    {
        ticket.State = MigrationState.Refused;
        ticket.Cycle = now;
        ticket.Refusal = reason ?? "the move failed";
        if (ticket.ByProcess)
        {
            Kernel.CompleteMigrationRequest(ticket.Pid, -Errno.EBUSY);
        }

        _ended(ticket);
    }

    private sealed record Waiting(MigrationTicket Ticket, ulong Since);

    private readonly record struct Announced(MoveId Move, int RegionBytes, int PageCount, bool ByProcess);

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
        public Announced Announced { get; } = announced;

        public IncomingProcess Process { get; } = process;

        /// <summary>Regions allowed after the kernel state.</summary>
        public int NextRegion { get; set; }

        /// <summary>The first page of the next region to allow.</summary>
        public int NextFirst { get; set; }
    }
}
