namespace Nanvix.Kernel.Layout;

/// <summary>Life of a thread slot.</summary>
public enum ThreadStatus
{
    /// <summary>The slot holds no thread.</summary>
    Free = 0,

    /// <summary>Runnable on its core from <see cref="ThreadEntry.ReadyAt"/> on.</summary>
    Ready = 1,

    /// <summary>Waiting in the kernel (join, mutex, semaphore, condition, sleep).</summary>
    Blocked = 2,

    /// <summary>Exited, its return value kept until a join collects it.</summary>
    Zombie = 3,
}
