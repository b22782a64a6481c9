namespace Nanvix.Kernel.Console;

/// <summary>The host side of a program's standard streams: fd 0 reads from it, fds 1 and 2 write to it.</summary>
public interface IConsole
{
    /// <summary>Bytes a process wrote to <paramref name="fd"/> (1 or 2).</summary>
    void Write(int pid, int fd, ReadOnlySpan<byte> bytes);

    /// <summary>Fills <paramref name="buffer"/> from standard input; returns 0 at end of input.</summary>
    int Read(int pid, Span<byte> buffer);
}
