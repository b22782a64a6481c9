namespace Nanvix.Kernel.Layout;

/// <summary>
/// A way to lay out the per-process kernel state. Implemented by empty structs and used as a generic argument, so
/// that each layout's address arithmetic is compiled on its own and neither layout pays for the other.
/// </summary>
public interface IProcessLayout
{
    static abstract ProcessLayoutKind Kind { get; }

    /// <summary>
    /// Places the state of <paramref name="processes"/> processes from <paramref name="start"/> on; under UArea,
    /// <paramref name="uareaGap"/> bytes (whole cache lines) are left between one User Area and the next.
    /// </summary>
    static abstract KernelDataPlan Plan(ulong start, int processes, int uareaGap = 0);

    static abstract ulong Thread(in KernelDataPlan plan, int process, int tid);

    static abstract ulong Join(in KernelDataPlan plan, int process, int tid);

    static abstract ulong Return(in KernelDataPlan plan, int process, int tid);

    static abstract ulong Stacks(in KernelDataPlan plan, int process, int tid);

    static abstract ulong RunQueue(in KernelDataPlan plan, int process);

    static abstract ulong Control(in KernelDataPlan plan, int process);

    static abstract ulong PageTable(in KernelDataPlan plan, int process);

    static abstract ulong Sysboard(in KernelDataPlan plan, int process, int core);

    static abstract ulong Mutex(in KernelDataPlan plan, int process, int id);

    static abstract ulong Semaphore(in KernelDataPlan plan, int process, int id);

    static abstract ulong Condition(in KernelDataPlan plan, int process, int id);

    /// <summary>Entry <paramref name="id"/> of the IKC descriptor table (see <see cref="Ikc.IkcTable{TLayout}"/>).</summary>
    static abstract ulong IkcDescriptor(in KernelDataPlan plan, int id);
}
