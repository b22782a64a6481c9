using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Images;

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
/// <para>
/// This type takes moves and events and hands them to its two sides, <see cref="MigrationSource"/> (processes leaving
/// from here) and <see cref="MigrationTarget"/> (processes coming here), which share the news of portal moves
/// (<see cref="PortalMoveNews"/>).
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

    /// <summary>Pages of the largest region transfer (1 MB).</summary>
    internal const int MaxPagesPerTransfer = NetworkOnChip.MaxPortalWriteBytes / (int)KernelConstants.PageSize;

    /// <summary>
    /// How long the source waits with no news of its move before it sends the manifest again: 10 M cycles (25 ms at
    /// 400 MHz), past the longest gap between two regions of a healthy move (a 1 MB portal write in nanvix timing, about
    /// 4.4 M cycles); it doubles after each try.
    /// </summary>
    public const ulong AnswerTimeoutCycles = 10_000_000;

    /// <summary>
    /// How long a target keeps a pre-copy move with no news of it (no batch, no last part) before it drops it and
    /// answers Failed: past the longest quiet time of a healthy source, the settle limit after its rounds and two waits
    /// for an answer.
    /// </summary>
    public const ulong PrecopyLeaseCycles = SettleLimitCycles + (2 * AnswerTimeoutCycles);

    /// <summary>Pre-copy rounds a move makes at most when its ticket does not say (an assumption; a ticket may say another, <c>--precopy-rounds</c> on the command line).</summary>
    public const int DefaultPrecopyRounds = 8;

    /// <summary>Answers a target keeps, to answer a manifest sent again (a move answered long before is never asked again).</summary>
    public const int AnsweredLimit = 64;

    // The events of this daemon's moves, the argument of its NoC notifications and scheduled events.
    internal const long SendManifest = 1;
    internal const long InputArrived = 2;
    internal const long OutputDone = 3;
    internal const long Retry = 4;
    internal const long CheckAnswer = 5;
    internal const long CheckEvicted = 6;
    internal const long SendBatch = 7;
    internal const long CheckPrecopy = 8;
    internal const long CheckLease = 9;
    internal const long PageSent = 10;
    internal const long PageArrived = 11;
    internal const long PageCheck = 12;
    internal const long PageFaultDue = 13;

    private readonly IReadOnlyList<ICluster> _clusters;
    private readonly Action<MigrationTicket> _asked;
    private readonly PortalMoveNews _news;
    private readonly MigrationTarget _target;
    private readonly MigrationSource _source;
    private readonly PageServer _pages;
    private readonly PagePuller _puller;

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
        _clusters = processor.Clusters;
        _asked = asked;
        Node = kernel.Cluster.NocNodes[0];
        IPortalInput input = processor.Noc.CreatePortal(Node, Channel);
        input.Notify(this, InputArrived);
        _news = new PortalMoveNews(kernel);
        _pages = new PageServer(kernel, processor.Noc, Node, this);
        _puller = new PagePuller(kernel, processor.Noc, processor.Scheduler, Node, this);
        _target = new MigrationTarget(kernel, processor.Scheduler, processor.Clusters, Node, input, this, _news, _puller);
        _source = new MigrationSource(kernel, processor.Noc, processor.Scheduler, processor.Spec.FrequencyHz, Node, this, ended, _target, _pages);
        kernel.MigrationEndpoint = this;
    }

    public IClusterKernel Kernel { get; }

    public int Node { get; }

    /// <summary>True while a process leaves from here or comes here, one is announced, or a move waits for its process to settle.</summary>
    public bool Busy => _source.Busy || _target.Busy;

    /// <summary>True when this daemon can take a move of one of its processes (<see cref="Take"/>).</summary>
    public bool CanTake => _source.CanTake;

    /// <summary>The move leaving from here, or null.</summary>
    public MigrationTicket? Moving => _source.Moving;

    /// <summary>True while process <paramref name="pid"/> is leaving from here, or waits to.</summary>
    public bool IsMoving(int pid) => _source.IsMoving(pid);

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

        _source.Take(ticket, now);
    }


    /// <summary>A quantum of this cluster ended at <paramref name="now"/>: a move waiting for its process to settle tries again.</summary>
    public void Poll(ulong now) => _source.Poll(now);

    /// <inheritdoc/>
    /// <summary>Pages post-copy moves from here left and the targets have not pulled yet.</summary>
    public int PagesServed => _pages.PagesHeld;

    /// <summary>Pages post-copied processes here still have to pull.</summary>
    public int PagesToPull => _puller.PagesLeft;

    /// <summary>Process <paramref name="pid"/> ended (wherever it ran): what post-copy kept for it here goes.</summary>
    public void ForgetPages(int pid)
    {
        _pages.Forget(pid);
        _puller.Forget(pid);
    }

    /// <inheritdoc/>
    public void PageFault(int pid, uint page, ulong now) => _puller.Fault(pid, page, now);

    public bool Request(int pid, int node, int mode)
    {
        if (mode is < 0 or > (int)MigrationMode.Postcopy)
        {
            return false;
        }

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

        _asked(new MigrationTicket(pid, target, 0, byProcess: true, (MigrationMode)mode));
        return true;
    }

    void IEventTarget.OnEvent(ulong cycle, long argument)
    {
        switch (argument)
        {
            case SendManifest:
                _source.SendTheManifest(cycle);
                break;
            case InputArrived:
                _target.RegionArrived(cycle);
                break;
            case OutputDone:
                _source.OutputDone(cycle);
                break;
            case CheckAnswer:
                _source.CheckForAnswer(cycle);
                break;
            case CheckEvicted:
                _target.CheckForEvicted(cycle);
                break;
            case Retry:
                _source.Retry(cycle);
                break;
            case SendBatch:
                _source.SendBatch(cycle);
                break;
            case CheckPrecopy:
                _source.CheckPrecopy(cycle);
                break;
            case CheckLease:
                _target.CheckLease(cycle);
                break;
            case PageSent:
                _pages.OutputDone();
                break;
            case PageArrived:
                _puller.Arrived(cycle);
                break;
            case PageCheck:
                _puller.Check(cycle);
                break;
            case PageFaultDue:
                _puller.FaultsDue(cycle);
                break;
        }
    }

    void IMigrationEndpoint.OnMessage(ReadOnlySpan<byte> body, ulong now)
    {
        MoveHeader header = MigrationMessage.Header(body);
        switch (header.Kind)
        {
            case MigrationMessageKind.Manifest:
                _target.OnManifest(body, header, now);
                break;
            case MigrationMessageKind.PrecopyBatch:
                _target.OnBatch(body, header, now);
                break;
            case MigrationMessageKind.Cancelled:
                _target.Cancelled(header.Move);
                break;
            case MigrationMessageKind.PrecopyFull when _source.IsLeaving(header.Move):
                _source.PrecopyFull(now);
                break;
            case MigrationMessageKind.PageRequest:
                _pages.OnRequest(header.Move, MigrationMessage.ReadPageRequest(body).Page);
                break;
            case MigrationMessageKind.PagesPulled:
                _pages.OnPulled(header.Move, MigrationMessage.ReadPagesPulled(body));
                break;
            case MigrationMessageKind.Done when _source.IsLeaving(header.Move):
                (ulong arrived, ulong restore, ulong ready) = MigrationMessage.ReadDone(body);
                _source.Moved(arrived, restore, ready);
                break;
            case MigrationMessageKind.Done when _source.HasEvicted(header.Move):
                // Sent again because Evicted was lost.
                _source.SendEvicted(header.Move, header.Sender);
                break;
            case MigrationMessageKind.Evicted:
                _target.Confirmed(header.Move);
                break;
            case MigrationMessageKind.Refused or MigrationMessageKind.Failed when _source.IsLeaving(header.Move):
                _source.Stayed(MigrationMessage.ReadRefusal(body), now);
                break;
            case MigrationMessageKind.PortalsMoved:
                // Kept for a process arriving here meanwhile, and passed on with a process leaving from here: their
                // portals were copied before the news came.
                _news.Heard(body, now);
                _source.PassOn(body);
                break;
        }
    }
}
