namespace Nanvix.Kernel.Tests.Units;

/// <summary>One entry of per-process kernel state where a layout puts it: its kind, process (-1 for the node's), index and bytes.</summary>
internal readonly record struct StateEntry(string Kind, int Process, int Index, ulong Address, int Size)
{
    public ulong End => Address + (ulong)Size;
}
