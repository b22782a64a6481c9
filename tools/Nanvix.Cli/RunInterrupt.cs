namespace Nanvix.Cli;

/// <summary>
/// A request to stop a run, from a signal (SIGINT, SIGTERM: <c>Program</c> registers them) or from a test. The run loop
/// looks at it after every quantum and ends as a budget would: the summary, complete statistics marked
/// <c>"stopped": "interrupted"</c>, and status 128 + the signal.
/// </summary>
public sealed class RunInterrupt
{
    /// <summary>The signal number of SIGINT (Ctrl-C).</summary>
    public const int SigInt = 2;

    /// <summary>The signal number of SIGTERM.</summary>
    public const int SigTerm = 15;

    private volatile int _signal;

    /// <summary>The signal that asked to stop; 0 while none has.</summary>
    public int Signal => _signal;

    /// <summary>Asks the run to stop, because of <paramref name="signal"/>; false when a stop was asked already (the caller may then let the signal end the process).</summary>
    public bool Request(int signal = SigInt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(signal);
        return Interlocked.CompareExchange(ref _signal, signal, 0) == 0;
    }

    /// <summary>The signal's name, for the message.</summary>
    public static string Name(int signal) => signal switch
    {
        SigInt => "SIGINT",
        SigTerm => "SIGTERM",
        _ => $"signal {signal}",
    };
}
