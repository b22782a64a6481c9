namespace Nanvix.Hal.Noc;

/// <summary>
/// One piece of a scatter/gather list, like a DMA descriptor: <paramref name="Length"/> bytes at
/// <paramref name="Offset"/> of the endpoint's cluster memory. A buffer that is contiguous in virtual memory but lies
/// in several physical frames is one list of these, moved by one portal transfer.
/// </summary>
/// <param name="Offset">Start of the piece in the cluster's memory.</param>
/// <param name="Length">Bytes in the piece (1 or more).</param>
public readonly record struct MemorySegment(ulong Offset, int Length);
