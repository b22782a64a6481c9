namespace Nanvix.Kernel;

/// <summary>The outcome of a kernel call and, when it is done, its value (a result or a negative errno).</summary>
public readonly record struct CallResult(CallOutcome Outcome, int Value)
{
    public static CallResult Blocked => new(CallOutcome.Blocked, 0);

    public static CallResult Gone => new(CallOutcome.Gone, 0);

    public static CallResult Done(int value) => new(CallOutcome.Done, value);

    public static CallResult Error(int errno) => new(CallOutcome.Done, -errno);
}
