using System.Runtime.CompilerServices;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>Every process's kernel state in its own contiguous <see cref="Layout.UArea"/>, cache-line aligned.</summary>
public readonly struct UAreaLayout : IProcessLayout
{
    /// <summary>User Areas start on a cache line and follow each other at this stride.</summary>
    public const int Stride = (UArea.Size + 63) & ~63;

    public static ProcessLayoutKind Kind => ProcessLayoutKind.UArea;

    public static KernelDataPlan Plan(ulong start, int processes, int uareaGap = 0)
    {
        if (uareaGap < 0 || uareaGap % 64 != 0)
        {
            throw new ArgumentException($"a gap between User Areas is whole 64-byte cache lines, not {uareaGap} bytes", nameof(uareaGap));
        }

        int stride = Stride + uareaGap;
        var placements = new List<Placement>();
        for (int p = 0; p < processes; p++)
        {
            placements.Add(new Placement($"uarea[{p}]", start + (ulong)(p * stride), UArea.Size, nameof(UArea), 1));
        }

        // The node's own IKC entries (what processes that moved away left here) after the User Areas.
        ulong node = start + (ulong)(processes * stride);
        int nodeBytes = KernelConstants.IkcNodeEntries * IkcEntry.Size;
        placements.Add(new Placement("IKC node entries", node, nodeBytes, nameof(IkcEntry), KernelConstants.IkcNodeEntries));
        return new KernelDataPlan
        {
            UAreas = start,
            UAreaStride = stride,
            Ikc = node,
            IkcEntries = (processes * KernelConstants.IkcDescriptorsPerProcess) + KernelConstants.IkcNodeEntries,
            IkcProcesses = processes,
            End = node + (ulong)((nodeBytes + 63) & ~63),
            Placements = placements,
        };
    }

    public static ulong Thread(in KernelDataPlan plan, int process, int tid) =>
        Base(plan, process) + UArea.ThreadsOffset + (ulong)(tid * Unsafe.SizeOf<ThreadEntry>());

    public static ulong Join(in KernelDataPlan plan, int process, int tid) =>
        Base(plan, process) + UArea.JoinsOffset + (ulong)(tid * Unsafe.SizeOf<JoinCondition>());

    public static ulong Return(in KernelDataPlan plan, int process, int tid) =>
        Base(plan, process) + UArea.ReturnsOffset + (ulong)(tid * Unsafe.SizeOf<ReturnValue>());

    public static ulong Stacks(in KernelDataPlan plan, int process, int tid) =>
        Base(plan, process) + UArea.StacksOffset + (ulong)(tid * Unsafe.SizeOf<ThreadStacks>());

    public static ulong RunQueue(in KernelDataPlan plan, int process) => Base(plan, process) + UArea.RunQueueOffset;

    public static ulong Control(in KernelDataPlan plan, int process) => Base(plan, process) + UArea.ControlOffset;

    public static ulong PageTable(in KernelDataPlan plan, int process) => Base(plan, process) + UArea.PageTableOffset;

    public static ulong Sysboard(in KernelDataPlan plan, int process, int core) =>
        Base(plan, process) + UArea.SysboardOffset + (ulong)(core * Unsafe.SizeOf<SysboardEntry>());

    public static ulong Mutex(in KernelDataPlan plan, int process, int id) =>
        Base(plan, process) + UArea.MutexesOffset + (ulong)(id * Unsafe.SizeOf<MutexEntry>());

    public static ulong Semaphore(in KernelDataPlan plan, int process, int id) =>
        Base(plan, process) + UArea.SemaphoresOffset + (ulong)(id * Unsafe.SizeOf<SemaphoreEntry>());

    public static ulong Condition(in KernelDataPlan plan, int process, int id) =>
        Base(plan, process) + UArea.ConditionsOffset + (ulong)(id * Unsafe.SizeOf<ConditionEntry>());

    /// <summary>Entries <c>p·16 .. p·16+15</c> are in the User Area of process <c>p</c>, the rest are the node's own.</summary>
    public static ulong IkcDescriptor(in KernelDataPlan plan, int id)
    {
        int processEntries = plan.IkcProcesses * KernelConstants.IkcDescriptorsPerProcess;
        return id < processEntries
            ? Base(plan, id / KernelConstants.IkcDescriptorsPerProcess) + UArea.IkcOffset + (ulong)(id % KernelConstants.IkcDescriptorsPerProcess * IkcEntry.Size)
            : plan.Ikc + (ulong)((id - processEntries) * IkcEntry.Size);
    }

    private static ulong Base(in KernelDataPlan plan, int process) => plan.UAreas + (ulong)(process * plan.UAreaStride);
}
