namespace Nanvix.Arch.Elf;

/// <summary>Permissions of a loadable segment, with the values of the ELF p_flags bits.</summary>
[Flags]
public enum SegmentPermissions : uint
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
}
