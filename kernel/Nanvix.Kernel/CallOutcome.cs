namespace Nanvix.Kernel;

/// <summary>How a kernel call ended for the calling thread.</summary>
public enum CallOutcome
{
    /// <summary>Answered: the value goes to a0 and the thread goes on.</summary>
    Done,

    /// <summary>The thread waits in the kernel; whoever wakes it writes the answer.</summary>
    Blocked,

    /// <summary>The thread (or its whole process) is gone.</summary>
    Gone,
}
