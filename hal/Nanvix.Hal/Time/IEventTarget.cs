namespace Nanvix.Hal.Time;

/// <summary>Something that reacts to an event of the <see cref="EventScheduler"/>.</summary>
public interface IEventTarget
{
    /// <summary>Called when simulated time reaches the event; <paramref name="argument"/> is what was scheduled with it.</summary>
    void OnEvent(ulong cycle, long argument);
}
