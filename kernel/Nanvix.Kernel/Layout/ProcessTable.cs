using System.Runtime.CompilerServices;
using Nanvix.Kernel.Mm;

namespace Nanvix.Kernel.Layout;

/// <summary>The cluster's process table: <see cref="KernelConstants.MaxProcesses"/> records in kernel data.</summary>
public sealed class ProcessTable
{
    private readonly KernelMemory _memory;

    public ProcessTable(KernelMemory memory, ulong address)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        Address = address;
        memory.Memory.Bytes(address, Size).Clear();
    }

    /// <summary>Bytes of the table.</summary>
    public static int Size => Unsafe.SizeOf<ProcessRecord>() * KernelConstants.MaxProcesses;

    public ulong Address { get; }

    /// <summary>The record of <paramref name="slot"/>, counted as a read of it in the serving core's D$ (its fields are updated in place).</summary>
    public ref ProcessRecord this[int slot] => ref _memory.At<ProcessRecord>(Address + (ulong)(slot * Unsafe.SizeOf<ProcessRecord>()), KernelStructure.Processes);

    public bool IsLive(int slot) => this[slot].State == ProcessState.Ready;

    /// <summary>
    /// The record of <paramref name="slot"/> as the host reads it (the run loop, statistics, a trace), which is no
    /// modeled kernel access: nothing is counted.
    /// </summary>
    public ref readonly ProcessRecord Peek(int slot) => ref _memory.Memory.At<ProcessRecord>(Address + (ulong)(slot * Unsafe.SizeOf<ProcessRecord>()));

    /// <summary>As <see cref="SlotOf"/>, for the host: nothing is counted.</summary>
    public int PeekSlotOf(int pid)
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (Peek(slot).State == ProcessState.Ready && Peek(slot).Pid == pid)
            {
                return slot;
            }
        }

        return -1;
    }

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
