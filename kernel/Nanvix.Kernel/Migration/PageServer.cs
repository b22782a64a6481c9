using System.Buffers.Binary;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The source's side of post-copy: the pages a post-copy move left here, served one write at a time per target on
/// portal channel <see cref="Channel"/>, each behind a 16-byte header (virtual page, pid, move number, this node), as
/// the target asks for them. Until the source evicts the process the pages are read from its frozen frames; after
/// that the frames are the server's, and each is freed once its page has landed on the target. A request for a page
/// already sent (a copy of a request) is dropped; a write lost on the NoC keeps the page, for the target to ask again.
/// </summary>
internal sealed class PageServer(IClusterKernel kernel, INoc noc, int here, IEventTarget daemon)
{
    /// <summary>The portal channel of post-copy pages (0 is the processes', 1 the moves').</summary>
    public const int Channel = 2;

    /// <summary>Bytes of the header before each page.</summary>
    public const int HeaderBytes = 16;

    private readonly List<Served> _served = [];
    private readonly Dictionary<int, Output> _outputs = [];

    /// <summary>The post-copy move <paramref name="move"/> froze its process: its pages left here are served from now on.</summary>
    public void Hold(MoveId move, int target, IReadOnlyList<(uint Virtual, uint Frame)> pages)
    {
        var served = new Served(move, target);
        foreach ((uint va, uint frame) in pages)
        {
            served.Pages[va] = frame;
        }

        _served.Add(served);
    }

    /// <summary>The move was called off: its pages stay with the process, which goes on here.</summary>
    public void Drop(MoveId move) => _served.RemoveAll(s => s.Move == move);

    /// <summary>The process of <paramref name="move"/> is about to be evicted: the pages not yet pulled leave its space and are the server's.</summary>
    public void Evicting(MoveId move, OutgoingProcess outgoing, MigrationReport report)
    {
        if (Find(move) is not { } served)
        {
            return;
        }

        uint[] pages = [.. served.Pages.Keys.Order()];
        uint[] frames = kernel.DetachPages(outgoing, pages);
        for (int i = 0; i < pages.Length; i++)
        {
            served.Pages[pages[i]] = frames[i];
        }

        served.Owned = true;
        served.Report = report;
        if (_ended.Contains(move.Pid))
        {
            Release(served);
            return;
        }

        if (served.Pulled is { } figures)
        {
            report.Postcopy?.Finish(figures.Pulled, figures.Demanded, figures.StallCycles, figures.LastCycle);
        }

        Retire(served);
    }

    /// <summary>The target asks for page <paramref name="page"/> of <paramref name="move"/>: it goes after the writes already waiting for that target.</summary>
    public void OnRequest(MoveId move, uint page)
    {
        if (Find(move) is not { } served || !served.Pages.ContainsKey(page))
        {
            return;
        }

        Output output = OutputTo(served.Target);
        if ((output.Writing is { } writing && writing.Served == served && writing.Page == page) || output.Queue.Contains((served, page)))
        {
            return;
        }

        output.Queue.Enqueue((served, page));
        WriteNext(output);
    }

    /// <summary>A page write on channel 2 is over: a delivered page is gone from here (its frame freed once the process is evicted), a lost one stays.</summary>
    public void OutputDone()
    {
        foreach (Output output in _outputs.Values)
        {
            if (output.Writing is not { } writing || noc.Transfer(writing.Transfer).State is TransferState.Waiting or TransferState.InFlight)
            {
                continue;
            }

            output.Writing = null;
            if (noc.Transfer(writing.Transfer).State == TransferState.Delivered && writing.Served.Pages.Remove(writing.Page, out uint frame))
            {
                if (writing.Served.Owned)
                {
                    kernel.Frames.Free(frame);
                }

                Retire(writing.Served);
            }

            WriteNext(output);
        }
    }

    /// <summary>The target says every page is there, with the figures for the report.</summary>
    public void OnPulled(MoveId move, (int Pulled, int Demanded, ulong StallCycles, ulong LastCycle) figures)
    {
        if (Find(move) is { } served)
        {
            served.Pulled = figures;
            served.Report?.Postcopy?.Finish(figures.Pulled, figures.Demanded, figures.StallCycles, figures.LastCycle);
        }
        else
        {
            // Retired already (every page delivered, the process evicted): the report still takes the figures.
            _finished.GetValueOrDefault(move)?.Postcopy?.Finish(figures.Pulled, figures.Demanded, figures.StallCycles, figures.LastCycle);
        }
    }

    /// <summary>Process <paramref name="pid"/> ended (wherever it runs): the pages it left here are freed (one on the wires once it lands).</summary>
    public void Forget(int pid)
    {
        _ended.Add(pid);
        foreach (Served served in _served.Where(s => s.Move.Pid == pid && s.Owned).ToList())
        {
            Release(served);
        }
    }

    private readonly HashSet<int> _ended = [];

    /// <summary>Frees the pages of <paramref name="served"/> that no write carries now, and drops its waiting writes.</summary>
    private void Release(Served served)
    {
        foreach (Output output in _outputs.Values)
        {
            (Served, uint)[] kept = [.. output.Queue.Where(q => q.Item1 != served)];
            output.Queue.Clear();
            foreach ((Served, uint) item in kept)
            {
                output.Queue.Enqueue(item);
            }
        }

        foreach ((uint page, uint frame) in served.Pages.ToList())
        {
            if (!_outputs.Values.Any(o => o.Writing is { } w && w.Served == served && w.Page == page))
            {
                served.Pages.Remove(page);
                kernel.Frames.Free(frame);
            }
        }

        Retire(served);
    }

    /// <summary>Pages of post-copy moves still held here (frames the server owns or reads from frozen processes).</summary>
    public int PagesHeld => _served.Sum(s => s.Pages.Count);

    private readonly Dictionary<MoveId, MigrationReport> _finished = [];

    private Served? Find(MoveId move) => _served.Find(s => s.Move == move);

    /// <summary>A move whose process was evicted and whose pages are all gone needs nothing more here.</summary>
    private void Retire(Served served)
    {
        if (served.Owned && served.Pages.Count == 0)
        {
            _served.Remove(served);
            if (served.Report is { } report)
            {
                _finished[served.Move] = report;
            }
        }
    }

    private void WriteNext(Output output)
    {
        if (output.Writing is not null || output.Queue.Count == 0)
        {
            return;
        }

        (Served served, uint page) = output.Queue.Dequeue();
        if (!served.Pages.TryGetValue(page, out uint frame))
        {
            WriteNext(output);
            return;
        }

        Span<byte> header = kernel.Cluster.Memory.Bytes(output.Header, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, page);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], served.Move.Pid);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], served.Move.Number);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], here);
        ReadOnlySpan<MemorySegment> segments = [new MemorySegment(output.Header, HeaderBytes), new MemorySegment(frame, (int)KernelConstants.PageSize)];
        output.Writing = (served, page, output.Port.Write(segments));
    }

    private Output OutputTo(int target)
    {
        if (!_outputs.TryGetValue(target, out Output? output))
        {
            if (!kernel.KernelPages.TryAllocate(out uint header))
            {
                throw new InvalidOperationException($"{kernel.Cluster.Name}: kernel bug: no kernel page for the post-copy page header");
            }

            IPortalOutput port = noc.OpenPortal(here, target, Channel);
            port.Notify(daemon, MigrationDaemon.PageSent);
            _outputs[target] = output = new Output(port, header);
        }

        return output;
    }

    /// <summary>The pages one post-copy move left here.</summary>
    private sealed class Served(MoveId move, int target)
    {
        public MoveId Move { get; } = move;

        public int Target { get; } = target;

        /// <summary>Virtual page → the frame holding it, for the pages not pulled yet.</summary>
        public Dictionary<uint, uint> Pages { get; } = [];

        /// <summary>True once the process is evicted: the frames are the server's to free.</summary>
        public bool Owned { get; set; }

        public MigrationReport? Report { get; set; }

        public (int Pulled, int Demanded, ulong StallCycles, ulong LastCycle)? Pulled { get; set; }
    }

    /// <summary>The channel-2 output towards one target, its header page, the write on the wires and the pages waiting.</summary>
    private sealed class Output(IPortalOutput port, uint header)
    {
        public IPortalOutput Port { get; } = port;

        public uint Header { get; } = header;

        public (Served Served, uint Page, int Transfer)? Writing { get; set; }

        public Queue<(Served, uint)> Queue { get; } = new();
    }
}
