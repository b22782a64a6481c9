using System.Runtime.CompilerServices;
using Nanvix.Hal.Memory;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// A table of IKC descriptor entries of one kind in kernel data, and what every kind does with its table the same way:
/// find a free entry, find a process's descriptor by its number, give a process the lowest number it does not use. A
/// descriptor's number is the process's own, kept in the entry, not the table index, so that it survives a move.
/// </summary>
internal readonly struct IkcTable<T>
    where T : unmanaged, IIkcDescriptor
{
    private readonly ClusterMemory _memory;
    private readonly ulong _base;

    public IkcTable(ClusterMemory memory, ulong address, int count)
    {
        _memory = memory;
        _base = address;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Bytes of a table of <paramref name="count"/> entries.</summary>
    public static int Bytes(int count) => count * Unsafe.SizeOf<T>();

    public ref T this[int id] => ref _memory.At<T>(_base + (ulong)(id * Unsafe.SizeOf<T>()));

    /// <summary>The first free entry, or -1.</summary>
    public int Free()
    {
        for (int id = 0; id < Count; id++)
        {
            if (this[id].IsFree)
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>The entry of descriptor <paramref name="descriptor"/> of process <paramref name="pid"/>, or -1.</summary>
    [KernelHotPath]
    public int Find(int pid, int descriptor)
    {
        for (int id = 0; pid != 0 && id < Count; id++)
        {
            ref T entry = ref this[id];
            if (entry.IsDescriptor && entry.OwnerPid == pid && entry.Descriptor == descriptor)
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>The lowest descriptor number process <paramref name="pid"/> does not use yet.</summary>
    public int NewDescriptor(int pid)
    {
        for (int descriptor = 0; ; descriptor++)
        {
            if (Find(pid, descriptor) < 0)
            {
                return descriptor;
            }
        }
    }
}
