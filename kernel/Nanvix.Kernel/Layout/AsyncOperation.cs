namespace Nanvix.Kernel.Layout;

/// <summary>What an asynchronous mailbox call left pending on a descriptor.</summary>
public enum AsyncOperation
{
    None = 0,
    Read = 1,
    Write = 2,
}
