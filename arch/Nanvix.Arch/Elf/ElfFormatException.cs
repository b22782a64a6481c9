namespace Nanvix.Arch.Elf;

/// <summary>A file that is not a static RV32 executable we can load; the message says what is wrong and where.</summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message)
        : base(message)
    {
    }
}
