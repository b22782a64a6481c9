using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel;

/// <summary>Boots the microkernel of a cluster with the chosen process layout.</summary>
public static class ClusterKernel
{
    /// <summary>The core that runs a process's main thread; core 0 is the master (Nanvix's affinity).</summary>
    public const int MasterCore = 0;

    /// <param name="pids">Where process ids come from; share one among the kernels of a processor so pids are unique.</param>
    /// <param name="processor">The processor, for the NoC: without it the IKC calls answer ENOSYS.</param>
    public static IClusterKernel Create(
        ICluster cluster, long frequencyHz, IConsole console, ProcessLayoutKind layout = ProcessLayoutKind.UArea, ProcessIds? pids = null, IProcessor? processor = null, int uareaGap = 0) =>
        layout switch
        {
            ProcessLayoutKind.UArea => new ClusterKernel<UAreaLayout>(cluster, frequencyHz, console, pids, processor, uareaGap),
            ProcessLayoutKind.Scattered => new ClusterKernel<ScatteredLayout>(cluster, frequencyHz, console, pids, processor, uareaGap),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown process layout"),
        };
}
