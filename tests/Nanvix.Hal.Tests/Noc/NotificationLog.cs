using Nanvix.Hal.Time;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>Records every notification an endpoint sends, to check when completions are reported.</summary>
internal sealed class NotificationLog : IEventTarget
{
    public List<(ulong Cycle, long Argument)> Events { get; } = [];

    public void OnEvent(ulong cycle, long argument) => Events.Add((cycle, argument));
}
