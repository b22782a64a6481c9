using Nanvix.Hal.Time;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// A cluster kernel's connection to the processor's event scheduler: the simulated cycle now, and the kernel events
/// its subsystems schedule (a parked thread's NoC operation, a retry, a posted operation) or that NoC endpoints raise
/// (<see cref="Target"/>: the kernel, which hands each event to its IKC layer).
/// </summary>
internal sealed class KernelEventPort(EventScheduler scheduler, IEventTarget target)
{
    /// <summary>Where NoC endpoints send the kernel's events.</summary>
    public IEventTarget Target { get; } = target;

    /// <summary>The simulated cycle of the event being handled.</summary>
    public ulong Now => scheduler.Now;

    /// <summary>Runs the NoC operation of parked thread <paramref name="tid"/> when simulated time reaches <paramref name="at"/>.</summary>
    public void Defer(ulong at, int slot, int tid) => Defer(at, KernelEventKind.ThreadOperation, (slot << 8) | tid);

    /// <summary>Delivers an event of <paramref name="kind"/> with <paramref name="value"/> to the kernel at cycle <paramref name="at"/> (or now).</summary>
    public void Defer(ulong at, KernelEventKind kind, int value) =>
        scheduler.Schedule(Math.Max(at, scheduler.Now), Target, KernelEvent.Of(kind, value), "kernel.noc");
}
