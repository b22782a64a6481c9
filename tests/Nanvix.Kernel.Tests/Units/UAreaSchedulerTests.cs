using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>The scheduler over the run queue and thread table in each process's User Area.</summary>
public sealed class UAreaSchedulerTests : SchedulerTests<UAreaLayout>;
