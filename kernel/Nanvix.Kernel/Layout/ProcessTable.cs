using System.Runtime.CompilerServices;
using Nanvix.Hal.Memory;

namespace Nanvix.Kernel.Layout;

/// <summary>The cluster's process table: <see cref="KernelConstants.MaxProcesses"/> records in kernel data.</summary>
public sealed class ProcessTable
{
    private readonly ClusterMemory _memory;

    public ProcessTable(ClusterMemory memory, ulong address)
    {
        _memory = memory;
        Address = address;
        memory.Bytes(address, Size).Clear();
    }

    /// <summary>Bytes of the table.</summary>
    public static int Size => Unsafe.SizeOf<ProcessRecord>() * KernelConstants.MaxProcesses;

    public ulong Address { get; }

    public ref ProcessRecord this[int slot] => ref _memory.At<ProcessRecord>(Address + (ulong)(slot * Unsafe.SizeOf<ProcessRecord>()));

    public bool IsLive(int slot) => this[slot].State == ProcessState.Ready;

    /// <summary>The slot of the live process <paramref name="pid"/>, or -1.</summary>
    public int SlotOf(int pid)
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (IsLive(slot) && this[slot].Pid == pid)
            {
                return slot;
            }
        }

        return -1;
    }
}
