using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The migration daemon of one compute cluster: it sends its processes away and takes in processes moving here,
/// over the NoC, one of each at a time (others wait their turn). The protocol, all of it timed by the NoC model:
/// <list type="number">
/// <item>Freeze on the source at a quantum boundary, and gather the kernel state into a staging area (a word a cycle).</item>
/// <item>A manifest by mailbox to the target's kernel port: the pid, the bytes of kernel state, the user pages.</item>
/// <item>The target reserves a slot and a staging area, or refuses. It then allows the regions one after another on
/// the kernel's portal channel: the kernel state (with the page list, the contexts, the mailboxes and the portals), which it reads
/// to map the pages on frames of its own; then the sections and the stacks, page by page straight into those frames
/// (gather on the source, scatter on the target, up to 1 MB a transfer).</item>
/// <item>Restore on the target (a word a cycle for the kernel state and the page-table entries), tell the name
/// service (and every kernel, if the process has portals: their paired portals follow it), answer Done; the source
/// then frees everything and leaves forward entries for the mailboxes.</item>
/// </list>
/// A refusal or a region lost on the NoC (fault injection) answers Refused or Failed instead: the target gives back
/// what it reserved, the source thaws the process, which goes on as if nothing happened.
/// </summary>
public sealed class MigrationDaemon : IMigrationEndpoint, IEventTarget
{
    /// <summary>The kernel's portal channel; channel 0 is the processes'.</summary>
    public const int Channel = 1;

    private const int MaxPagesPerTransfer = NetworkOnChip.MaxPortalWriteBytes / (int)KernelConstants.PageSize;

    private const int HeardLimit = 64;

    private const long SendManifest = 1;
    private const long InputArrived = 2;
    private const long OutputDone = 3;

    private readonly Multikernel _system;
    private readonly IProcessor _processor;
    private readonly INoc _noc;
    private readonly EventScheduler _scheduler;
    private readonly IPortalInput _input;
    private readonly Dictionary<int, IPortalOutput> _outputs = [];
    private readonly Queue<(int Pid, int RegionBytes, int PageCount, int Source)> _announced = new();

    /// <summary>Portal moves of other processes heard lately (the newest <see cref="HeardLimit"/>).</summary>
    private readonly List<byte[]> _heard = [];

    private Outgoing? _outgoing;
    private Incoming? _incoming;

    public MigrationDaemon(Multikernel system, IClusterKernel kernel, IProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(processor);
        _system = system;
        Kernel = kernel;
        _processor = processor;
        _noc = processor.Noc;
        _scheduler = processor.Scheduler;
        Node = kernel.Cluster.NocNodes[0];
        _input = _noc.CreatePortal(Node, Channel);
        _input.Notify(this, InputArrived);
        kernel.MigrationEndpoint = this;
    }

    public IClusterKernel Kernel { get; }

    public int Node { get; }

    /// <summary>True while a process leaves from here or comes here, or one is announced.</summary>
    public bool Busy => _outgoing is not null || _incoming is not null || _announced.Count > 0;

    /// <summary>True while a process leaves from here.</summary>
    public bool Sending => _outgoing is not null;

    /// <summary>The move leaving from here, or null.</summary>
    public MigrationTicket? Moving => _outgoing?.Ticket;

    /// <summary>True while process <paramref name="pid"/> is leaving from here.</summary>
    public bool IsMoving(int pid) => _outgoing?.Ticket.Pid == pid;

    /// <summary>
    /// Starts moving the process of <paramref name="ticket"/> at cycle <paramref name="now"/>: freeze it and send the
    /// manifest once its kernel state is gathered. False when it cannot start now; the ticket then says whether it
    /// was refused for good or may be tried again.
    /// </summary>
    public bool Start(MigrationTicket ticket, MigrationDaemon target, ulong now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(target);
        if (_outgoing is not null)
        {
            return false;
        }

        ticket.Watch.Start();
        OutgoingProcess? process = Kernel.Freeze(ticket.Pid, target.Node, out string? refusal, out bool retry);
        if (process is null)
        {
            ticket.Watch.Stop();
            if (!retry)
            {
                ticket.State = MigrationState.Refused;
                ticket.Refusal = refusal;
                ticket.Cycle = now;
            }

            return false;
        }

        ProcessSnapshot snapshot = process.Snapshot;
        ulong gather = (ulong)(snapshot.RegionBytes / 4) * KernelConstants.CopyCyclesPerWord;
        _outgoing = new Outgoing(ticket, process, target, now, now + gather, Regions(process));
        ticket.State = MigrationState.Moving;
        ticket.Cycle = now;
        _scheduler.Schedule(now + gather, this, SendManifest, "migration.manifest");
        return true;
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
                WriteNextRegion();
                break;
        }
    }

    void IMigrationEndpoint.OnMessage(ReadOnlySpan<byte> body, ulong now)
    {
        (MigrationMessageKind kind, int pid, int regionBytes, int pageCount) = MigrationMessage.Read(body);
        switch (kind)
        {
            case MigrationMessageKind.Manifest:
                _announced.Enqueue((pid, regionBytes, pageCount, MigrationMessage.SourceOf(body)));
                TakeNextIncoming(now);
                break;
            case MigrationMessageKind.Done:
                Finish(pid, moved: true, now);
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
                    Kernel.SendKernelMessage(_outgoing.Target.Node, body);
                }

                break;
            default:
                Finish(pid, moved: false, now);
                break;
        }
    }

    private void ApplyPortalsMoved(ReadOnlySpan<byte> body, ulong now)
    {
        (_, _, int from, int to) = MigrationMessage.Read(body);
        Span<(bool, int, int)> moved = stackalloc (bool, int, int)[KernelConstants.MaxMailboxes];
        int count = MigrationMessage.ReadPortalsMoved(body, moved, out int seq);
        Kernel.PortalPeerMoved(from, to, seq, moved[..count], now);
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
        Span<byte> body = stackalloc byte[MigrationMessage.Bytes];
        MigrationMessage.Write(body, MigrationMessageKind.Manifest, outgoing.Ticket.Pid, outgoing.Process.Snapshot.RegionBytes, outgoing.Process.Snapshot.Pages.Count, Node);
        outgoing.ManifestSent = now;
        if (!Kernel.SendKernelMessage(outgoing.Target.Node, body))
        {
            outgoing.Ticket.Refusal = $"{outgoing.Target.Kernel.Cluster.Name} does not listen";
            Finish(outgoing.Ticket.Pid, moved: false, now);
            return;
        }

        // The first region, the kernel state, waits on the NoC until the target allows it.
        IPortalOutput output = OutputTo(outgoing.Target.Node);
        Span<MemorySegment> segments = stackalloc MemorySegment[outgoing.Process.Staging.Length];
        outgoing.Transfer = output.Write(StagingSegments(outgoing.Process.Staging, outgoing.Process.Snapshot.RegionBytes, segments));
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

        outgoing.Transfer = OutputTo(outgoing.Target.Node).Write(segments);
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
    private void TakeNextIncoming(ulong now)
    {
        Span<MemorySegment> segments = stackalloc MemorySegment[MaxPagesPerTransfer];
        while (_incoming is null && _announced.Count > 0)
        {
            (int pid, int regionBytes, int pageCount, int source) = _announced.Dequeue();
            // The ticket is the request's bookkeeping (for its report), kept by the source's daemon.
            MigrationTicket? ticket = _system.DaemonOf(pid)?._outgoing?.Ticket;
            if (ticket is null || source < 0)
            {
                continue;
            }

            IncomingProcess? process = Kernel.Reserve(pid, regionBytes, pageCount, out string? refusal);
            if (process is null)
            {
                Answer(ticket, source, MigrationMessageKind.Refused, refusal);
                continue;
            }

            _incoming = new Incoming(ticket, process, source);
            _input.Allow(source, StagingSegments(process.Staging, regionBytes, segments));
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

        if (bytes < 0)
        {
            Abort(incoming, MigrationMessageKind.Failed, $"a region of the move was lost on the NoC between {incoming.Source} and {Node}");
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
            _input.Allow(incoming.Source, segments);
            return;
        }

        // Everything is here: the kernel state goes into the tables, a word a cycle, and a page-table entry per page.
        ulong restore = ((ulong)(incoming.Process.RegionBytes / 4) + (ulong)snapshot.Pages.Count) * KernelConstants.CopyCyclesPerWord;
        ulong ready = now + restore;
        Kernel.Restore(incoming.Process, ready);
        Kernel.AnnounceRelocation(incoming.Ticket.Pid);
        // Peers' moves heard while this process was on its way apply to it now, in the order they happened.
        foreach (byte[] heard in _heard.OrderBy(h => MigrationMessage.SeqOfPortalsMoved(h)))
        {
            ApplyPortalsMoved(heard, now);
        }

        if (snapshot.Portals.Count > 0)
        {
            // Every kernel hears it: peers that wrote to the old node, or read from it, now pair with this one.
            Span<byte> notice = stackalloc byte[MigrationMessage.Bytes + 5 + (4 * KernelConstants.MaxMailboxes)];
            int seq = 1 + _system.Migrations.Count(m => m.Pid == incoming.Ticket.Pid);
            int length = MigrationMessage.WritePortalsMoved(notice, incoming.Ticket.Pid, incoming.Source, Node, seq, snapshot.Portals);
            foreach (IClusterKernel other in _system.Kernels)
            {
                if (other != Kernel)
                {
                    Kernel.SendKernelMessage(other.Cluster.NocNodes[0], notice[..length]);
                }
            }
        }
        MigrationDaemon source = _system.DaemonOf(incoming.Ticket.Pid)!;
        Outgoing outgoing = source._outgoing!;
        MigrationTicket ticket = incoming.Ticket;
        ticket.Report = new MigrationReport(
            ticket.Pid,
            source.Kernel.Cluster.Name,
            Kernel.Cluster.Name,
            snapshot.SectionBytes,
            snapshot.StackBytes,
            snapshot.KernelStateBytes,
            snapshot.ContextBytes,
            snapshot.IkcBytes,
            snapshot.ManifestBytes,
            outgoing.Frozen,
            outgoing.ManifestDue - outgoing.Frozen,
            now - outgoing.ManifestSent,
            restore,
            ready - outgoing.Frozen,
            (ready - outgoing.Frozen) * 1e6 / _processor.Spec.FrequencyHz,
            ticket.Watch.Elapsed);
        _incoming = null;
        Answer(ticket, incoming.Source, MigrationMessageKind.Done, null);
        if (ticket.ByProcess)
        {
            Kernel.CompleteMigrationRequest(ticket.Pid, 0);
        }

        TakeNextIncoming(now);
    }

    private void Abort(Incoming incoming, MigrationMessageKind kind, string? reason)
    {
        Kernel.Discard(incoming.Process);
        _incoming = null;
        Answer(incoming.Ticket, incoming.Source, kind, reason);
        TakeNextIncoming(_scheduler.Now);
    }

    /// <summary>Tells the source how the move ended; the reason goes with the ticket.</summary>
    private void Answer(MigrationTicket ticket, int source, MigrationMessageKind kind, string? reason)
    {
        if (reason is not null)
        {
            ticket.Refusal = reason;
        }

        Span<byte> body = stackalloc byte[MigrationMessage.Bytes];
        MigrationMessage.Write(body, kind, ticket.Pid);
        Kernel.SendKernelMessage(source, body);
    }

    /// <summary>The move of the process leaving from here ended: free it here (moved) or let it go on here.</summary>
    private void Finish(int pid, bool moved, ulong now)
    {
        Outgoing? outgoing = _outgoing;
        if (outgoing is null || outgoing.Ticket.Pid != pid)
        {
            return;
        }

        _outgoing = null;
        MigrationTicket ticket = outgoing.Ticket;
        if (moved)
        {
            Kernel.Evict(outgoing.Process);
            ticket.Watch.Stop();
            ticket.Report = ticket.Report! with { HostTime = ticket.Watch.Elapsed };
            ticket.State = MigrationState.Done;
        }
        else
        {
            if (_outputs.Remove(outgoing.Target.Node, out IPortalOutput? output))
            {
                // A region still waiting for an allow that will not come is cancelled with its output.
                output.Dispose();
            }

            Kernel.Thaw(outgoing.Process, now);
            ticket.Watch.Stop();
            ticket.State = MigrationState.Refused;
            ticket.Cycle = now;
            ticket.Refusal ??= "the move failed";
            if (ticket.ByProcess)
            {
                Kernel.CompleteMigrationRequest(pid, -Errno.EBUSY);
            }
        }

        _system.MigrationEnded(ticket);
    }

    private sealed class Outgoing(MigrationTicket ticket, OutgoingProcess process, MigrationDaemon target, ulong frozen, ulong manifestDue, List<(int First, int Count)> regions)
    {
        public MigrationTicket Ticket { get; } = ticket;

        public OutgoingProcess Process { get; } = process;

        public MigrationDaemon Target { get; } = target;

        public ulong Frozen { get; } = frozen;

        public ulong ManifestDue { get; } = manifestDue;

        public ulong ManifestSent { get; set; }

        public List<(int First, int Count)> Regions { get; } = regions;

        public int NextRegion { get; set; }

        public int Transfer { get; set; } = -1;
    }

    private sealed class Incoming(MigrationTicket ticket, IncomingProcess process, int source)
    {
        public MigrationTicket Ticket { get; } = ticket;

        public IncomingProcess Process { get; } = process;

        public int Source { get; } = source;

        /// <summary>Regions allowed after the kernel state.</summary>
        public int NextRegion { get; set; }

        /// <summary>The first page of the next region to allow.</summary>
        public int NextFirst { get; set; }
    }
}
