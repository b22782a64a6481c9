namespace Nanvix.Kernel.Ikc;

/// <summary>What a NoC event delivered to a cluster's kernel is about (see <see cref="KernelEvent"/>).</summary>
public enum KernelEventKind
{
    /// <summary>A parked thread's NoC operation may go now (value: slot &lt;&lt; 8 | tid).</summary>
    ThreadOperation = 0,

    /// <summary>Messages reached the node's hardware mailbox.</summary>
    MailboxArrival = 1,

    /// <summary>The node's hardware portal input completed a transfer.</summary>
    PortalInput = 2,

    /// <summary>The hardware portal output towards a node (value) delivered.</summary>
    PortalOutput = 3,

    /// <summary>Sync point (value) was released.</summary>
    SyncRelease = 4,

    /// <summary>The asynchronous write posted on mailbox (value) may leave.</summary>
    MailboxAsyncSend = 5,

    /// <summary>The asynchronous write posted on mailbox (value) has arrived.</summary>
    MailboxAsyncDelivered = 6,

    /// <summary>The asynchronous operation posted on portal (value) may start.</summary>
    PortalAsyncStart = 7,

    /// <summary>Messages the kernel holds for nodes whose mailbox was full may go now.</summary>
    MailboxBacklog = 8,
}
