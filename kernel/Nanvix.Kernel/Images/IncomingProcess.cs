namespace Nanvix.Kernel.Images;

/// <summary>
/// A process moving to this cluster: its reserved slot, the kernel pages its kernel state lands in, then (once that
/// has arrived) its snapshot, the frames its pages land in and the kernel stacks of its threads.
/// </summary>
public sealed class IncomingProcess(int pid, int slot, uint[] staging, int regionBytes)
{
    public int Pid { get; } = pid;

    public int Slot { get; } = slot;

    public uint[] Staging { get; } = staging;

    public int RegionBytes { get; } = regionBytes;

    /// <summary>The NoC node the process leaves (its portal peers may be here, pairing with that node).</summary>
    public int Source { get; set; } = -1;

    public ProcessSnapshot? Snapshot { get; set; }

    public uint[] Frames { get; set; } = [];

    public uint[] KernelStacks { get; set; } = [];
}
