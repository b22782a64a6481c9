using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nanvix.Arch.Core;

/// <summary>
/// The architectural state of one RV32 hart that a kernel saves and restores: the 32 integer registers and the pc.
/// It is an unmanaged struct of fixed size so that it can live in cluster memory (a thread's kernel stack) and be
/// copied as bytes by a migration.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct RegisterContext
{
    /// <summary>Size in bytes: 32 registers of 4 bytes, then the pc.</summary>
    public const int Size = 33 * sizeof(uint);

    /// <summary>Byte offset of <see cref="Pc"/>.</summary>
    public const int PcOffset = 32 * sizeof(uint);

    private RegisterFile _x;

    /// <summary>Program counter.</summary>
    public uint Pc;

    /// <summary>Reads register x<paramref name="index"/>; x0 always reads 0.</summary>
    public readonly uint Get(int index) => index == 0 ? 0u : _x[index];

    /// <summary>Writes register x<paramref name="index"/>; writes to x0 are dropped, as the ISA says.</summary>
    public void Set(int index, uint value)
    {
        if (index != 0)
        {
            _x[index] = value;
        }
    }

    [InlineArray(32)]
    private struct RegisterFile
    {
        private uint _element0;
    }
}
