namespace Nanvix.Kernel.Mm;

/// <summary>What user code may do with a page, as the Sv32 R/W/X bits.</summary>
[Flags]
public enum PagePermissions : uint
{
    None = 0,
    Read = 1 << 1,
    Write = 1 << 2,
    Execute = 1 << 3,
    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
}
