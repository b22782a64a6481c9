using System.Runtime.InteropServices;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Layout;

/// <summary>
/// The User Area of the seed (Vanz 2022): every piece of kernel state a process owns, in one contiguous region —
/// its threads (ids, state, contexts' stacks), join conditions and return values, its scheduling queue and control
/// variables, the pointers to its stacks, its paging state, its kernel-call board and its synchronization objects:
/// 2 112 bytes up to the IKC part, about the seed's 2 KB. Then its IKC descriptors (mailboxes, portals, sync points:
/// 16 entries of 128 bytes), the "communication module" the seed leaves for future work. With the Scattered layout the
/// same tables are separate kernel globals instead.
/// </summary>
[KernelStruct(Size)]
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct UArea
{
    public const int Size = IkcOffset + (KernelConstants.IkcDescriptorsPerProcess * IkcEntry.Size);
    public const int ThreadsOffset = 0;
    public const int JoinsOffset = 720;
    public const int ReturnsOffset = 864;
    public const int StacksOffset = 936;
    public const int RunQueueOffset = 1080;
    public const int ControlOffset = 1112;
    public const int PageTableOffset = 1128;
    public const int SysboardOffset = 1136;
    public const int MutexesOffset = 1776;
    public const int SemaphoresOffset = 1904;
    public const int ConditionsOffset = 2032;

    /// <summary>The IKC descriptors start on the cache line after the seed's state (which ends at 2 096).</summary>
    public const int IkcOffset = 2112;

    [FieldOffset(ThreadsOffset)] public ThreadTable Threads;
    [FieldOffset(JoinsOffset)] public JoinTable Joins;
    [FieldOffset(ReturnsOffset)] public ReturnTable Returns;
    [FieldOffset(StacksOffset)] public StackTable Stacks;
    [FieldOffset(RunQueueOffset)] public RunQueue RunQueue;
    [FieldOffset(ControlOffset)] public ThreadControl Control;
    [FieldOffset(PageTableOffset)] public PageTablePointer PageTable;
    [FieldOffset(PageTableOffset + 4)] public int Reserved;
    [FieldOffset(SysboardOffset)] public Sysboard Sysboard;
    [FieldOffset(MutexesOffset)] public MutexTable Mutexes;
    [FieldOffset(SemaphoresOffset)] public SemaphoreTable Semaphores;
    [FieldOffset(ConditionsOffset)] public ConditionTable Conditions;
    [FieldOffset(IkcOffset)] public IkcArea Ikc;
}
