using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel;

/// <summary>Boots the microkernel of a cluster with the chosen process layout.</summary>
public static class ClusterKernel
{
    /// <summary>The core that runs a process's main thread; core 0 is the master (Nanvix's affinity).</summary>
    public const int MasterCore = 0;

    public static IClusterKernel Create(ICluster cluster, long frequencyHz, IConsole console, ProcessLayoutKind layout = ProcessLayoutKind.UArea, int firstPid = KernelConstants.FirstPid) =>
        layout switch
        {
            ProcessLayoutKind.UArea => new ClusterKernel<UAreaLayout>(cluster, frequencyHz, console, firstPid),
            ProcessLayoutKind.Scattered => new ClusterKernel<ScatteredLayout>(cluster, frequencyHz, console, firstPid),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown process layout"),
        };
}
