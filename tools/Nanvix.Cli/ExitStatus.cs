namespace Nanvix.Cli;

/// <summary>
/// The exit statuses of <c>nanvix</c> besides a program's own (README, "Exit statuses"). A program that exits gives
/// its status; one the kernel kills gives 128 + the signal a shell would show (139 for a page fault, 137 for a
/// deadlock).
/// </summary>
public static class ExitStatus
{
    /// <summary>Every program exited with 0 (or the command was not a run).</summary>
    public const int Success = 0;

    /// <summary>Bad host input: a flag, a missing or malformed file, an image that does not say what it must.</summary>
    public const int BadInput = 2;

    /// <summary>A bug in nanvix itself (EX_SOFTWARE of sysexits.h); the details go to a file the message names.</summary>
    public const int InternalError = 70;

    /// <summary>The run reached <c>--max-cycles</c> or <c>--max-instructions</c> before every program ended (as timeout(1)).</summary>
    public const int Budget = 124;

    /// <summary>The status of a run stopped by signal <paramref name="signal"/> (SIGINT 2 → 130, SIGTERM 15 → 143), as a shell shows it.</summary>
    public static int Interrupted(int signal) => 128 + signal;
}
