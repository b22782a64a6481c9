namespace Nanvix.Kernel;

/// <summary>A request the kernel cannot satisfy (no memory for a program, no free process slot); the message says why.</summary>
public sealed class KernelException : Exception
{
    public KernelException(string message)
        : base(message)
    {
    }
}
