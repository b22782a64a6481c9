namespace Nanvix.Arch.Core;

/// <summary>
/// Why a core stopped executing user code: the RISC-V mcause exception codes (privileged spec 20211203, table 3.6),
/// so a kernel written against the spec reads them unchanged.
/// </summary>
public enum TrapCause : uint
{
    InstructionAddressMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadAddressMisaligned = 4,
    LoadAccessFault = 5,
    StoreAddressMisaligned = 6,
    StoreAccessFault = 7,
    EcallFromUser = 8,
    InstructionPageFault = 12,
    LoadPageFault = 13,
    StorePageFault = 15,
}
