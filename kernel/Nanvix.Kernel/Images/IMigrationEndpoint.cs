namespace Nanvix.Kernel.Images;

/// <summary>The migration daemon of a kernel's cluster, as the kernel sees it.</summary>
public interface IMigrationEndpoint
{
    /// <summary>Takes a migration message (manifest, answer, notice) that reached the kernel's port.</summary>
    void OnMessage(ReadOnlySpan<byte> body, ulong now);

    /// <summary>
    /// Process <paramref name="pid"/> asks (kernel call <c>migrate</c>) to move to the cluster of NoC node
    /// <paramref name="node"/>; its threads that wait for the move are answered when it ends. False when the node is
    /// not a compute cluster's.
    /// </summary>
    bool Request(int pid, int node);
}
