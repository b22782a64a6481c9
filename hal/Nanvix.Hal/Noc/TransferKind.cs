namespace Nanvix.Hal.Noc;

/// <summary>Which connector a transfer went through.</summary>
public enum TransferKind
{
    Mailbox,
    Portal,
    Sync,
}
