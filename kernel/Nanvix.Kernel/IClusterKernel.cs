using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel;

/// <summary>The microkernel of one cluster, whatever its process layout: what the command line, tests and benchmarks use.</summary>
public interface IClusterKernel
{
    ICluster Cluster { get; }

    ProcessLayoutKind Layout { get; }

    /// <summary>Where the per-process state of this cluster lives in kernel data.</summary>
    KernelDataPlan Plan { get; }

    /// <summary>
    /// The IKC descriptor tables in kernel data, after the per-process state (the same under both layouts; none without
    /// a processor): mailboxes and portals, whose entries a move carries.
    /// </summary>
    IReadOnlyList<Placement> IkcTables { get; }

    PageAllocator Frames { get; }

    PageAllocator KernelPages { get; }

    IReadOnlyList<ProcessExit> Exits { get; }

    KernelStatistics Statistics { get; }

    /// <summary>The kernel's data accesses to cluster memory, counted by structure in the serving cores' D$ (with the cache model on).</summary>
    KernelMemory KernelData { get; }

    /// <summary>What this cluster counted for process <paramref name="pid"/> (zeros when it never ran here); the process's share of <see cref="Statistics"/>.</summary>
    ProcessStatistics StatisticsOf(int pid);

    bool HasLiveProcesses { get; }

    /// <summary>True when process <paramref name="pid"/> lives on this cluster.</summary>
    bool HasProcess(int pid);

    /// <summary>Core <paramref name="core"/> of the cluster (the HAL's: its clock, counters and caches).</summary>
    ICore Core(int core);

    /// <summary>Told of every quantum this kernel runs (a trace); null for none.</summary>
    IQuantumObserver? Observer { get; set; }

    /// <summary>Switches the modeled I$ and D$ on for every core of the cluster; from then on misses cost cycles.</summary>
    void EnableCaches(CacheGeometry instruction, CacheGeometry data);

    /// <summary>
    /// Where every core of the cluster logs its user I$ and D$ misses with the pc that made them, each under the pid of
    /// the process that ran (<c>--annotate</c>; with the cache model on), or null for no log.
    /// </summary>
    UserMissLog? UserMisses { get; set; }

    /// <summary>Sets how every core of the cluster executes; the engines differ in host time only.</summary>
    void UseEngine(HartEngine engine);

    /// <summary>Loads <paramref name="image"/> as a new process with <paramref name="arguments"/> as its argv; returns its pid.</summary>
    /// <exception cref="KernelException">No free process slot, or not enough memory; the cluster is left as it was.</exception>
    int Spawn(ElfImage image, IReadOnlyList<string> arguments);

    /// <summary>As <see cref="Spawn(ElfImage, IReadOnlyList{string})"/>, with the main thread ready no earlier than cycle <paramref name="notBefore"/>.</summary>
    int Spawn(ElfImage image, IReadOnlyList<string> arguments, ulong notBefore);

    /// <summary>Runs one quantum of the thread that can start soonest; false when no thread is ready.</summary>
    bool Step();

    /// <summary>The simulated cycle at which <see cref="Step"/> would start its quantum; false when no thread is ready.</summary>
    bool TryPeek(out ulong start);

    /// <summary>
    /// Answers ECONNRESET to every thread that waits on a portal or sync point whose peer node has no live process
    /// left (<paramref name="nodeHasProcess"/> tells); returns how many were answered. Called when nothing else can
    /// move, so that a process that ended does not leave its peers waiting forever.
    /// </summary>
    int FailWaitsOnEndedPeers(Func<int, bool> nodeHasProcess);

    /// <summary>
    /// Freezes process <paramref name="pid"/> between two quanta for a move to NoC node <paramref name="targetNode"/>
    /// and stages its kernel state (see <see cref="Images.ProcessSnapshot"/>); the process stays here, not scheduled,
    /// until <see cref="Thaw"/> or <see cref="Evict"/>. Null with the reason when it cannot move now;
    /// <paramref name="retry"/> says whether it may a little later.
    /// </summary>
    Images.OutgoingProcess? Freeze(int pid, int targetNode, out string? refusal, out bool retry);

    /// <summary>
    /// As <see cref="Freeze(int, int, out string?, out bool)"/> at the end of pre-copy rounds: <paramref name="precopied"/>
    /// (virtual page → the frame it was sent from) is what the target holds; pages not written since stay out of the regions.
    /// </summary>
    /// <remarks>A post-copy move (<paramref name="postcopy"/>) leaves the pages not touched lately here, for the target to pull.</remarks>
    Images.OutgoingProcess? Freeze(int pid, int targetNode, IReadOnlyDictionary<uint, uint>? precopied, bool postcopy, out string? refusal, out bool retry);

    /// <summary>
    /// Page <paramref name="page"/> of post-copied process <paramref name="pid"/> arrived in <paramref name="frame"/>: it
    /// is mapped there and the threads waiting for it run again; false (nothing changed) when the process is gone or
    /// the page is not one it waits for.
    /// </summary>
    bool LandPage(int pid, uint page, uint frame, ulong now);

    /// <summary>Ends process <paramref name="pid"/> with <paramref name="status"/> and <paramref name="diagnostic"/> (a post-copied process whose pages cannot come).</summary>
    void KillProcess(int pid, int status, string diagnostic);

    /// <summary>Takes the frames of <paramref name="pages"/> out of a frozen process's space (they are not freed with it): the pages a post-copy move leaves for the target to pull.</summary>
    uint[] DetachPages(Images.OutgoingProcess outgoing, IReadOnlyList<uint> pages);

    /// <summary>Clears the accessed bits of process <paramref name="pid"/>'s pages for a post-copy move; false when no such process runs here.</summary>
    bool BeginPostcopy(int pid);

    /// <summary>Starts tracking the writes of process <paramref name="pid"/> for a pre-copy move, and numbers the move; -1 when no such process runs here.</summary>
    int BeginPrecopy(int pid);

    /// <summary>Why process <paramref name="pid"/> cannot move to node <paramref name="targetNode"/> whenever it is tried (a portal peer there, no node entries here), or null.</summary>
    string? WhyCannotMove(int pid, int targetNode);

    /// <summary>The pages of <paramref name="pid"/> the target does not hold as they are now (see <see cref="Images.PrecopyPages{TLayout}"/>); null when it ended.</summary>
    List<(uint Virtual, uint Frame)>? PrecopyDirty(int pid, IReadOnlyDictionary<uint, uint> sent, out ulong cycles);

    /// <summary>Clears the dirty bits of the pages a pre-copy round sends now.</summary>
    void PrecopyClean(int pid, List<(uint Virtual, uint Frame)> pages);

    /// <summary>The pre-copy of <paramref name="pid"/> was called off before its freeze: its writes are no longer tracked.</summary>
    void EndPrecopy(int pid);

    /// <summary>Frames for a pre-copy batch of an incoming process; false with the reason when memory is short.</summary>
    bool AllowBatch(Images.IncomingProcess incoming, int pages, out string? refusal);

    /// <summary>A pre-copy batch landed: its frames now hold the pages its list names.</summary>
    void BatchLanded(Images.IncomingProcess incoming);

    /// <summary>Makes the staging area of an incoming pre-copy move the size of its kernel state; false with the reason when memory is short.</summary>
    bool Restage(Images.IncomingProcess incoming, int regionBytes, int pageCount, out string? refusal);

    /// <summary>The move was called off: the frozen process goes on here.</summary>
    void Thaw(Images.OutgoingProcess outgoing, ulong now);

    /// <summary>The frozen process lives elsewhere now: frees what it held here, leaving forward entries for its mailboxes.</summary>
    void Evict(Images.OutgoingProcess outgoing);

    /// <summary>Reserves a slot and a staging area for a process moving here; null with the reason when it cannot.</summary>
    Images.IncomingProcess? Reserve(int pid, int regionBytes, int pageCount, out string? refusal);

    /// <summary>Reads the kernel state that arrived and maps the pages and kernel stacks; false with the reason when it does not fit.</summary>
    bool Map(Images.IncomingProcess incoming, out string? refusal);

    /// <summary>
    /// Everything arrived at <paramref name="start"/>: the kernel state goes into the tables (<paramref name="copyCycles"/>
    /// of copying, plus the master core's D$ stalls when the cache model is on); returns the cycle the process runs here from.
    /// </summary>
    ulong Restore(Images.IncomingProcess incoming, ulong start, ulong copyCycles);

    /// <summary>Gives back what was reserved for a process whose move failed.</summary>
    void Discard(Images.IncomingProcess incoming);

    /// <summary>Sends a kernel message to the kernel port of NoC node <paramref name="node"/>; false when nobody listens.</summary>
    bool SendKernelMessage(int node, ReadOnlySpan<byte> body);

    /// <summary>Where migration messages to this kernel go.</summary>
    Images.IMigrationEndpoint? MigrationEndpoint { get; set; }

    /// <summary>Tells the name service that <paramref name="pid"/> lives on this cluster now.</summary>
    void AnnounceRelocation(int pid);

    /// <summary>
    /// Process <paramref name="pid"/> moved (its move number <paramref name="move"/>) from node <paramref name="from"/> to
    /// <paramref name="to"/> with the portals <paramref name="moved"/>: the portals here that paired with them follow.
    /// </summary>
    void PortalPeerMoved(int pid, int from, int to, int move, ReadOnlySpan<(bool Input, int Port, int Remote)> moved, ulong now);

    /// <summary>Drops the forward entries process <paramref name="pid"/> left here.</summary>
    void ForgetForwards(int pid);

    /// <summary>Messages sent on by this cluster's forward entries.</summary>
    int ForwardedMessages { get; }

    /// <summary>Answers the threads of <paramref name="pid"/> that wait for their move with <paramref name="result"/> (0, or a negative errno).</summary>
    void CompleteMigrationRequest(int pid, int result);

    /// <summary>Kills every live process of the cluster whose threads are all blocked, saying who waits on whom.</summary>
    void KillDeadlocked();

    /// <summary>Runs every live process until all have ended; deadlocked processes are killed with a diagnostic.</summary>
    IReadOnlyList<ProcessExit> RunToCompletion();
}
