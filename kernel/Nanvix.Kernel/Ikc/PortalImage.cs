namespace Nanvix.Kernel.Ikc;

/// <summary>
/// One portal descriptor of a process on its way between clusters, as the source kept it (index
/// <see cref="Index"/>): the process's number for it, input or output, the remote node (allowed, or written to), the
/// port, the last peer move it followed, and a posted operation's state (only a finished one moves: its result waits for <c>portal_wait</c>).
/// </summary>
public readonly record struct PortalImage(
    int Index, int Descriptor, int IsInput, int Remote, int Port, int PeerSeq, int Pending, int Done, int Result, int PendingBuffer, int PendingSize);
