namespace Nanvix.Kernel.Layout;

/// <summary>What a blocked thread waits for.</summary>
public enum WaitKind
{
    None = 0,
    Join = 1,
    Mutex = 2,
    Semaphore = 3,
    Condition = 4,
    Sleep = 5,

    /// <summary>A message for one of the process's input mailboxes.</summary>
    MailboxRead = 6,

    /// <summary>The delivery of a message the thread wrote.</summary>
    MailboxWrite = 7,

    /// <summary>The answer of a multikernel service (the name service).</summary>
    Service = 8,

    /// <summary>The release of a sync point.</summary>
    SyncWait = 9,

    /// <summary>Its sync signal to leave (the call returns once it is on the network).</summary>
    SyncSignal = 10,

    /// <summary>Data for a portal read.</summary>
    PortalRead = 11,

    /// <summary>The delivery of a portal write.</summary>
    PortalWrite = 12,

    /// <summary>The end of an asynchronous mailbox read or write.</summary>
    MailboxAsync = 13,

    /// <summary>The end of an asynchronous portal read or write.</summary>
    PortalAsync = 14,

    /// <summary>The process asked to move to another cluster (WaitObject: the target's NoC node).</summary>
    Migration = 15,

    /// <summary>The process was post-copied here and the thread touched a page still on the cluster it left (WaitObject: the page's virtual address); it runs again, at the same instruction or call, once the page is here.</summary>
    PageFetch = 16,
}
