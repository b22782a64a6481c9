using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>The scheduler over the one table of run queues and the one thread table.</summary>
public sealed class ScatteredSchedulerTests : SchedulerTests<ScatteredLayout>;
