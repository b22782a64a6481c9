namespace Nanvix.Arch.Elf;

/// <summary>A function of an executable's symbol table (STT_FUNC): its name and the bytes [<see cref="Address"/>, <see cref="End"/>) it spans.</summary>
public readonly record struct ElfFunction(string Name, uint Address, uint Size)
{
    /// <summary>First address past the function (up to 2^32, so never wraps).</summary>
    public ulong End => (ulong)Address + Size;
}
