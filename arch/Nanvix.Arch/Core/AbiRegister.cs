namespace Nanvix.Arch.Core;

/// <summary>Register numbers of the RISC-V integer calling convention (ilp32), as named by the psABI.</summary>
public static class AbiRegister
{
    public const int Zero = 0;
    public const int Ra = 1;
    public const int Sp = 2;
    public const int Gp = 3;
    public const int Tp = 4;
    public const int A0 = 10;
    public const int A1 = 11;
    public const int A2 = 12;
    public const int A3 = 13;
    public const int A4 = 14;
    public const int A5 = 15;
    public const int A7 = 17;
}
