namespace Nanvix.Hal.Time;

/// <summary>Conversions between cycles and wall units at a clock's frequency.</summary>
public static class ClockExtensions
{
    /// <summary><paramref name="cycles"/> in microseconds at this clock's frequency.</summary>
    public static double Microseconds(this IClock clock, ulong cycles)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return cycles * 1e6 / clock.FrequencyHz;
    }
}
