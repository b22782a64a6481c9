namespace Nanvix.Kernel.Ikc;

/// <summary>
/// The argument of an event the NoC or the scheduler delivers to a cluster's kernel: a kind in the high bits and a
/// value (a descriptor, a node, a thread) in the low 32, so one number carries both and every source uses the
/// same encoding.
/// </summary>
public static class KernelEvent
{
    public static long Of(KernelEventKind kind, int value) => ((long)kind << 32) | (uint)value;

    public static KernelEventKind KindOf(long argument) => (KernelEventKind)(argument >> 32);

    public static int ValueOf(long argument) => (int)(uint)argument;
}
