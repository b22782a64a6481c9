namespace Nanvix.Hal.Noc;

/// <summary>The sending end of a portal: writes a buffer of this cluster's memory into one remote node's allowed buffer.</summary>
public interface IPortalOutput : INocEndpoint
{
    int RemoteNode { get; }

    /// <summary>The portal channel of this output: its writes only land in the remote node's input of the same channel.</summary>
    int Channel { get; }

    /// <summary>
    /// Posts a write of <paramref name="size"/> bytes from <paramref name="sourceOffset"/> of this cluster's memory;
    /// returns the transfer's id. It waits (state <see cref="TransferState.Waiting"/>) until the receiver allows this
    /// node, then moves in chunks of the machine's portal chunk size. The data is read from the source when the
    /// transfer arrives, so the buffer must stay as it is until then (Nanvix's write blocks the caller meanwhile).
    /// One write may be outstanding per output portal.
    /// </summary>
    int Write(ulong sourceOffset, int size);

    /// <summary>
    /// Posts a gather write: the bytes of <paramref name="source"/>'s segments, in order, 1 byte to 1 MB in all, moved
    /// as one transfer (one packet per chunk of the total, one α in nanvix timing) exactly like
    /// <see cref="Write(ulong, int)"/> of the same size; returns the transfer's id. The list is copied, so the span may
    /// be reused at once, but the memory it names is read at the arrival. It holds 1 to
    /// <see cref="NetworkOnChip.MaxPortalSegments"/> segments of at least 1 byte each; every segment must be readable (a
    /// memory error otherwise) and nothing is posted when any check fails.
    /// </summary>
    int Write(ReadOnlySpan<MemorySegment> source);

    /// <summary>
    /// Cancels the posted write if it still waits for the receiver's allow (its record becomes Cancelled, the output
    /// is free again); true when it did, false when there was none or it already left.
    /// </summary>
    bool Withdraw();

    /// <summary>True while a posted write has not arrived.</summary>
    bool IsBusy { get; }
}
