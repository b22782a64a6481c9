namespace Nanvix.Hal.Noc;

/// <summary>Facts about a mailbox message that was read: who sent it, how long it is, when it arrived.</summary>
public readonly record struct MailboxMessage(int Source, int Length, int TransferId, ulong ArrivedAt);
