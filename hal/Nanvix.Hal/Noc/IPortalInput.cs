namespace Nanvix.Hal.Noc;

/// <summary>
/// The receiving end of a node's portal. The receiver allows one sender at a time to write into a buffer of its
/// cluster's memory; a write from that sender then lands there, and nowhere else.
/// </summary>
public interface IPortalInput : INocEndpoint
{
    /// <summary>The portal channel of this input: it only takes writes from outputs of the same channel.</summary>
    int Channel { get; }

    /// <summary>
    /// Withdraws the outstanding allow if no write has taken it yet, so the buffer may be given up (a process moving
    /// away, say); true when it did, false when there was none or a write already took it and is on the wires.
    /// </summary>
    bool Revoke();

    /// <summary>True while an allow is outstanding (no write has completed it yet).</summary>
    bool IsAllowed { get; }

    /// <summary>
    /// Allows <paramref name="remoteNode"/> to write up to <paramref name="capacity"/> bytes at
    /// <paramref name="bufferOffset"/> of this cluster's memory. If that sender has already posted a write, its
    /// transfer starts now. Throws a <see cref="NocException"/> when an allow is already outstanding or when the
    /// waiting write is larger than <paramref name="capacity"/>, and a memory error when the buffer is not writable.
    /// </summary>
    void Allow(int remoteNode, ulong bufferOffset, int capacity);

    /// <summary>
    /// Allows <paramref name="remoteNode"/> to write into a scatter list of this cluster's memory: the write's bytes
    /// fill <paramref name="destination"/>'s segments in order, from the start of the first; the capacity is the sum of
    /// their lengths. The list is copied, so the span may be reused at once. It holds 1 to
    /// <see cref="NetworkOnChip.MaxPortalSegments"/> segments of at least 1 byte each; every segment must be writable
    /// (a memory error otherwise) and nothing is allowed when any check fails. The one-segment list is exactly
    /// <see cref="Allow(int, ulong, int)"/>; the other errors are the same as there.
    /// </summary>
    void Allow(int remoteNode, ReadOnlySpan<MemorySegment> destination);

    /// <summary>
    /// Bytes that arrived with the last completed write, and its transfer id; false when none completed since the last
    /// call. A write lost on the wires (<see cref="TransferState.Failed"/>) completes too, with
    /// <paramref name="bytes"/> = -1: the allow is consumed and nothing was written into the buffer.
    /// </summary>
    bool TryComplete(out int bytes, out int transferId);
}
