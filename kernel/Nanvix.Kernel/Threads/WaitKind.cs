namespace Nanvix.Kernel.Threads;

/// <summary>What a blocked thread waits for.</summary>
public enum WaitKind
{
    None = 0,
    Join = 1,
    Mutex = 2,
    Semaphore = 3,
    Condition = 4,
    Sleep = 5,
}
