namespace Nanvix.Arch.Mmu;

/// <summary>What a memory access does; one bit each, so a TLB entry can hold the set of accesses it allows.</summary>
[Flags]
public enum AccessType : byte
{
    Read = 1,
    Write = 2,
    Execute = 4,
}
