namespace Nanvix.Kernel.Ikc;

/// <summary>What the mailbox outbox needs of its kernel's clock: the cycle now, and an event to try its backlog again.</summary>
internal interface IBacklogTimer
{
    /// <summary>The simulated cycle of the event being handled.</summary>
    ulong Now { get; }

    /// <summary>Has <see cref="MailboxOutbox.Flush"/> called at cycle <paramref name="cycle"/>.</summary>
    void FlushAt(ulong cycle);
}
