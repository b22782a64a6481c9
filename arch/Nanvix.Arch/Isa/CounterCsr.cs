namespace Nanvix.Arch.Isa;

/// <summary>
/// Numbers of the unprivileged counter CSRs (RISC-V unprivileged spec, "Zicntr"), the only CSRs user code may read here.
/// </summary>
public static class CounterCsr
{
    public const int Cycle = 0xC00;
    public const int Time = 0xC01;
    public const int Instret = 0xC02;
    public const int CycleH = 0xC80;
    public const int TimeH = 0xC81;
    public const int InstretH = 0xC82;

    /// <summary>True for the six counter CSRs above.</summary>
    public static bool IsCounter(int csr) => (csr & ~0x083) == 0xC00 && (csr & 0x3) != 0x3;
}
