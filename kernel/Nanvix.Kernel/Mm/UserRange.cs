namespace Nanvix.Kernel.Mm;

/// <summary>A named range [<see cref="Start"/>, <see cref="End"/>) of a process's virtual address space (up to 2^32).</summary>
public readonly record struct UserRange(string Name, ulong Start, ulong End)
{
    public override string ToString() => $"{Name} [0x{Start:x}, 0x{End:x})";
}
