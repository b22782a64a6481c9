using System.Buffers.Binary;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// The target's side of post-copy: it pulls the pages post-copied processes left on their source, one request at a
/// time for the whole cluster (its one input on portal channel <see cref="PageServer.Channel"/>), a page a thread waits
/// for first (a fault, a kernel call that needs it), else the next page in address order, so that every page comes in
/// bounded time. Each request allows a frame kept for the process at its restore; a request with no page after
/// <see cref="MigrationDaemon.AnswerTimeoutCycles"/> is sent again, and after <see cref="Attempts"/> tries the source is
/// taken for gone: the process dies with a diagnostic (post-copy's documented risk), it never runs on a missing page.
/// </summary>
internal sealed class PagePuller(IClusterKernel kernel, INoc noc, EventScheduler scheduler, int here, IEventTarget daemon)
{
    /// <summary>Tries of one page request before the source is taken for gone.</summary>
    public const int Attempts = 3;

    /// <summary>Exit status of a process whose pages cannot come: 128 + SIGBUS, as for memory that is gone.</summary>
    public const int LostPagesStatus = 135;

    private readonly List<Pull> _pulls = [];
    private IPortalInput? _input;
    private uint _header;
    private Asked? _asked;

    /// <summary>Pages still to pull, over every post-copied process here.</summary>
    public int PagesLeft => _pulls.Sum(p => p.Left.Count);

    /// <summary>A post-copied process is restored here: its pages left on the source (node <paramref name="source"/>) are pulled from now on.</summary>
    public void Start(MoveId move, int source, IReadOnlyList<uint> pages, List<uint> frames, ulong now)
    {
        _pulls.Add(new Pull(move, source, [.. pages], new Stack<uint>(frames)));
        frames.Clear();
        Next(now);
    }

    /// <summary>
    /// A thread of <paramref name="pid"/> waits for <paramref name="page"/> from cycle <paramref name="at"/> (its core's
    /// time, which may run ahead of the NoC's inside a quantum): it goes first, asked for no earlier than that.
    /// </summary>
    public void Fault(int pid, uint page, ulong at)
    {
        if (at > scheduler.Now)
        {
            _faults.Add((at, pid, page));
            scheduler.Schedule(at, daemon, MigrationDaemon.PageFaultDue, "migration.fault");
            return;
        }

        Take(pid, page, at);
    }

    /// <summary>The faults due by <paramref name="now"/> are taken, in the order they happened.</summary>
    public void FaultsDue(ulong now)
    {
        foreach ((ulong at, int pid, uint page) in _faults.Where(f => f.At <= now).OrderBy(f => f.At).ToList())
        {
            _faults.Remove((at, pid, page));
            Take(pid, page, at);
        }
    }

    private readonly List<(ulong At, int Pid, uint Page)> _faults = [];

    private void Take(int pid, uint page, ulong now)
    {
        Pull? pull = _pulls.Find(p => p.Move.Pid == pid);
        if (pull is null || !pull.Left.Contains(page) || pull.FaultedAt.ContainsKey(page))
        {
            return;
        }

        pull.FaultedAt[page] = now;
        pull.Waited.Add(page);
        Next(now);
    }

    /// <summary>A page write reached the channel-2 input (or was lost): map it and wake its waiters, or ask again.</summary>
    public void Arrived(ulong now)
    {
        if (_input is null || !_input.TryComplete(out int bytes, out _) || _asked is not { } asked)
        {
            return;
        }

        ReadOnlySpan<byte> header = kernel.Cluster.Memory.Bytes(_header, PageServer.HeaderBytes);
        if (bytes < 0 || BinaryPrimitives.ReadUInt32LittleEndian(header) != asked.Page || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != asked.Pull.Move.Pid)
        {
            // Lost on the NoC: the source keeps the page; ask again.
            Ask(asked, now);
            return;
        }

        _asked = null;
        Pull pull = asked.Pull;
        if (!kernel.LandPage(pull.Move.Pid, asked.Page, asked.Frame, now))
        {
            kernel.Frames.Free(asked.Frame);
        }

        pull.Left.Remove(asked.Page);
        pull.Waited.Remove(asked.Page);
        pull.Pulled++;
        if (pull.FaultedAt.Remove(asked.Page, out ulong faulted))
        {
            pull.Demanded++;
            pull.StallCycles += now - Math.Min(now, faulted);
        }

        if (pull.Left.Count == 0)
        {
            Finish(pull, now);
        }

        Next(now);
    }

    /// <summary>The wait for the page asked is up: ask again, or, after <see cref="Attempts"/> tries, give the process up.</summary>
    public void Check(ulong now)
    {
        if (_asked is not { } asked || now != asked.Due)
        {
            return;
        }

        if (asked.Tries < Attempts)
        {
            Ask(asked, now);
            return;
        }

        if (!_input!.Revoke())
        {
            // The page is on the wires after all: it lands (Arrived).
            _asked = asked with { Due = now + MigrationDaemon.AnswerTimeoutCycles };
            scheduler.Schedule(_asked.Due, daemon, MigrationDaemon.PageCheck, "migration.page");
            return;
        }

        _asked = null;
        Pull pull = asked.Pull;
        kernel.Frames.Free(asked.Frame);
        kernel.KillProcess(
            pull.Move.Pid,
            LostPagesStatus,
            $"{kernel.Cluster.Name}: process {pull.Move.Pid} killed: its page 0x{asked.Page:x8} did not come from node {pull.Source} after {Attempts} requests "
            + $"({Attempts * MigrationDaemon.AnswerTimeoutCycles} cycles): the cluster it was post-copied from does not answer; {pull.Left.Count} pages were still there");
        Drop(pull);
        Next(now);
    }

    /// <summary>Process <paramref name="pid"/> ended: its pages need not come any more (a page on the wires lands in a frame that is then freed).</summary>
    public void Forget(int pid)
    {
        if (_pulls.Find(p => p.Move.Pid == pid) is { } pull && _asked?.Pull != pull)
        {
            Drop(pull);
        }
    }

    private void Finish(Pull pull, ulong now)
    {
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WritePagesPulled(body, pull.Move, here, pull.Pulled, pull.Demanded, pull.StallCycles, now);
        kernel.SendKernelMessage(pull.Move.Source, body[..length]);
        Drop(pull);
    }

    private void Drop(Pull pull)
    {
        _pulls.Remove(pull);
        while (pull.Frames.TryPop(out uint frame))
        {
            kernel.Frames.Free(frame);
        }
    }

    /// <summary>Asks for the next page, if none is asked now: one a thread waits for first, else the next left.</summary>
    private void Next(ulong now)
    {
        while (_asked is null && _pulls.Count > 0)
        {
            Pull? gone = _pulls.Find(p => !kernel.HasProcess(p.Move.Pid));
            if (gone is not null)
            {
                Drop(gone);
                continue;
            }

            Pull pull = _pulls.Find(p => p.Waited.Count > 0) ?? _pulls[0];
            uint page = pull.Waited.Count > 0 ? pull.Waited[0] : pull.Left.Min;
            Ask(new Asked(pull, page, pull.Frames.Pop(), 0, 0), now);
        }
    }

    private void Ask(Asked asked, ulong now)
    {
        if (_input is null)
        {
            _input = noc.CreatePortal(here, PageServer.Channel);
            _input.Notify(daemon, MigrationDaemon.PageArrived);
            if (!kernel.KernelPages.TryAllocate(out _header))
            {
                throw new InvalidOperationException($"{kernel.Cluster.Name}: kernel bug: no kernel page for the post-copy page header");
            }
        }

        if (!_input.IsAllowed)
        {
            ReadOnlySpan<MemorySegment> segments = [new MemorySegment(_header, PageServer.HeaderBytes), new MemorySegment(asked.Frame, (int)KernelConstants.PageSize)];
            _input.Allow(asked.Pull.Source, segments);
        }

        bool demand = asked.Pull.FaultedAt.ContainsKey(asked.Page);
        Span<byte> body = stackalloc byte[MigrationMessage.MaxBytes];
        int length = MigrationMessage.WritePageRequest(body, asked.Pull.Move, here, asked.Page, demand);
        kernel.SendKernelMessage(asked.Pull.Source, body[..length]);
        _asked = asked with { Tries = asked.Tries + 1, Due = now + MigrationDaemon.AnswerTimeoutCycles };
        scheduler.Schedule(_asked.Due, daemon, MigrationDaemon.PageCheck, "migration.page");
    }

    /// <summary>The pages one post-copied process still has on its source, the frames kept for them, and its figures.</summary>
    private sealed class Pull(MoveId move, int source, SortedSet<uint> left, Stack<uint> frames)
    {
        public MoveId Move { get; } = move;

        public int Source { get; } = source;

        public SortedSet<uint> Left { get; } = left;

        public Stack<uint> Frames { get; } = frames;

        /// <summary>Pages threads wait for, in the order they began to.</summary>
        public List<uint> Waited { get; } = [];

        public Dictionary<uint, ulong> FaultedAt { get; } = [];

        public int Pulled { get; set; }

        public int Demanded { get; set; }

        public ulong StallCycles { get; set; }
    }

    private sealed record Asked(Pull Pull, uint Page, uint Frame, int Tries, ulong Due);
}
