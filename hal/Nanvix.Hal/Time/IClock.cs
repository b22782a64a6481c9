namespace Nanvix.Hal.Time;

/// <summary>Simulated time, in cycles of the processor's clock since boot. Host time never feeds it.</summary>
public interface IClock
{
    /// <summary>Cycles since boot.</summary>
    ulong Now { get; }

    /// <summary>Clock frequency, to turn cycles into seconds.</summary>
    long FrequencyHz { get; }
}
