namespace Nanvix.Kernel.Images;

/// <summary>
/// A process moving to this cluster: its reserved slot, the kernel pages its kernel state lands in, then (once that
/// has arrived) its snapshot, the frames its pages land in and the kernel stacks of its threads; for a pre-copy move,
/// the pages that came in its rounds before.
/// </summary>
public sealed class IncomingProcess(int pid, int slot, uint[] staging, int regionBytes)
{
    public int Pid { get; } = pid;

    public int Slot { get; } = slot;

    /// <summary>The kernel pages the next kernel-state region (or a pre-copy batch's page list) lands in.</summary>
    public uint[] Staging { get; set; } = staging;

    public int RegionBytes { get; set; } = regionBytes;

    /// <summary>Pages that came in pre-copy rounds: virtual page → the frame of this cluster holding it (not mapped until the restore).</summary>
    public Dictionary<uint, uint> Precopied { get; } = [];

    /// <summary>Frames kept for the pages of a post-copy move still on the source, one each, for the pulls to land in.</summary>
    public List<uint> PullFrames { get; } = [];

    /// <summary>The frames the pre-copy batch allowed now lands in (empty when none is allowed).</summary>
    public uint[] BatchFrames { get; set; } = [];

    /// <summary>The NoC node the process leaves (its portal peers may be here, pairing with that node).</summary>
    public int Source { get; set; } = -1;

    public ProcessSnapshot? Snapshot { get; set; }

    public uint[] Frames { get; set; } = [];

    public uint[] KernelStacks { get; set; } = [];
}
