using Nanvix.Hal.Noc;
using Nanvix.Kernel.Layout;

namespace Nanvix.Tests.Shared.Stress;

/// <summary>One of the eight configurations a scenario runs in: both layouts × both NoC timings × cache model off/on.</summary>
internal readonly record struct StressConfiguration(ProcessLayoutKind Layout, NocTimingMode Timing, bool Cache)
{
    public static readonly StressConfiguration[] All =
    [
        .. from layout in new[] { ProcessLayoutKind.UArea, ProcessLayoutKind.Scattered }
           from timing in new[] { NocTimingMode.Hardware, NocTimingMode.Nanvix }
           from cache in new[] { false, true }
           select new StressConfiguration(layout, timing, cache),
    ];

    /// <summary>The options of <c>nanvix run</c> that choose this configuration.</summary>
    public string Options =>
        $"--layout {(Layout == ProcessLayoutKind.Scattered ? "scattered" : "uarea")} --timing {Timing.ToString().ToLowerInvariant()} --cache {(Cache ? "on" : "off")}";

    public override string ToString() => Options;
}
