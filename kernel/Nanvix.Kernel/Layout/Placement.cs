namespace Nanvix.Kernel.Layout;

/// <summary>One named piece of kernel data placed in the kernel-data region, for <c>nanvix layout</c>.</summary>
/// <param name="Name">What it is (a table, a User Area).</param>
/// <param name="Address">Offset in cluster memory.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ElementType">The kernel structure it is made of, as named in the layout metadata.</param>
/// <param name="Count">How many elements.</param>
public sealed record Placement(string Name, ulong Address, int Size, string ElementType, int Count)
{
    public ulong End => Address + (ulong)Size;
}
