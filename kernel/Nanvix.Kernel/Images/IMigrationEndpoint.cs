namespace Nanvix.Kernel.Images;

/// <summary>The migration daemon of a kernel's cluster, as the kernel sees it.</summary>
public interface IMigrationEndpoint
{
    /// <summary>Takes a migration message (manifest, answer, notice) that reached the kernel's port.</summary>
    void OnMessage(ReadOnlySpan<byte> body, ulong now);

    /// <summary>
    /// Process <paramref name="pid"/> asks (kernel call <c>migrate</c>) to move to the cluster of NoC node
    /// <paramref name="node"/>, copied the way <paramref name="mode"/> says (0 stop, 1 pre-copy); its threads that wait
    /// for the move are answered when it ends. False when the node is not a compute cluster's or the mode is none.
    /// </summary>
    bool Request(int pid, int node, int mode);

    /// <summary>
    /// A thread of post-copied process <paramref name="pid"/> waits for its page <paramref name="page"/> (it touched it,
    /// or a kernel call of its needs it), which is still on the cluster the process left: pull it first.
    /// </summary>
    void PageFault(int pid, uint page, ulong now);
}
