namespace Nanvix.Kernel.Ikc;

/// <summary>The kernel port of a node: where kernel-to-kernel messages (a move's protocol, sync relays, service answers) that reached it go.</summary>
internal interface IKernelPort
{
    /// <summary>Takes one kernel message, at cycle <paramref name="now"/>.</summary>
    void OnKernelMessage(ReadOnlySpan<byte> body, ulong now);
}
