using System.Buffers.Binary;
using System.Text;

namespace Nanvix.Arch.Elf;

/// <summary>
/// The functions of an ELF32 executable's symbol table (the SHT_SYMTAB section, its STT_FUNC symbols of non-zero size),
/// by address: what names the pc of a user cache miss (<c>nanvix run --annotate</c>). A file without a symbol table
/// (stripped), or whose section headers do not hold together, has no functions; reading one never fails, since the
/// symbols do not take part in loading (<see cref="ElfImage"/> checks what does). Layout: gABI 4.1, sections 4 and 5.
/// </summary>
public sealed class ElfSymbols
{
    private const int SectionHeaderSize = 40;
    private const int SymbolSize = 16;
    private const uint ShtSymtab = 2;
    private const uint ShtStrtab = 3;
    private const byte SttFunc = 2;

    private readonly ElfFunction[] _functions;

    private ElfSymbols(ElfFunction[] functions) => _functions = functions;

    /// <summary>No functions: a pc is never inside one.</summary>
    public static ElfSymbols None { get; } = new([]);

    /// <summary>The functions in address order; two symbols at one address (aliases) count once, by the first name in ordinal order.</summary>
    public IReadOnlyList<ElfFunction> Functions => _functions;

    /// <summary>The name of the function <paramref name="address"/> lies in, or null when it lies in none.</summary>
    public string? FunctionAt(uint address)
    {
        int low = 0;
        int high = _functions.Length - 1;
        int found = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (_functions[middle].Address <= address)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 && address < _functions[found].End ? _functions[found].Name : null;
    }

    /// <summary>The functions of the ELF32 file <paramref name="file"/>; <see cref="None"/> when it has no symbol table that holds together.</summary>
    public static ElfSymbols Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < ElfImage.HeaderSize || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F' || file[4] != 1 || file[5] != 1)
        {
            return None;
        }

        uint shoff = U32(file, 32);
        ushort shentsize = U16(file, 46);
        ushort shnum = U16(file, 48);
        if (shnum == 0 || shentsize != SectionHeaderSize || !Fits(file, shoff, (ulong)shnum * SectionHeaderSize))
        {
            return None;
        }

        var functions = new List<ElfFunction>();
        for (int i = 0; i < shnum; i++)
        {
            int header = (int)shoff + (i * SectionHeaderSize);
            if (U32(file, header + 4) != ShtSymtab)
            {
                continue;
            }

            uint offset = U32(file, header + 16);
            uint size = U32(file, header + 20);
            uint link = U32(file, header + 24);
            if (link >= shnum || !Fits(file, offset, size))
            {
                return None;
            }

            int strings = (int)shoff + ((int)link * SectionHeaderSize);
            uint stringsOffset = U32(file, strings + 16);
            uint stringsSize = U32(file, strings + 20);
            if (U32(file, strings + 4) != ShtStrtab || !Fits(file, stringsOffset, stringsSize))
            {
                return None;
            }

            ReadOnlySpan<byte> names = file.Slice((int)stringsOffset, (int)stringsSize);
            for (uint at = offset; at + SymbolSize <= offset + size; at += SymbolSize)
            {
                int symbol = (int)at;
                uint value = U32(file, symbol + 4);
                uint length = U32(file, symbol + 8);
                if ((file[symbol + 12] & 0xF) != SttFunc || length == 0 || NameAt(names, U32(file, symbol)) is not { Length: > 0 } name)
                {
                    continue;
                }

                functions.Add(new ElfFunction(name, value, length));
            }
        }

        functions.Sort((a, b) => a.Address != b.Address ? a.Address.CompareTo(b.Address) : string.CompareOrdinal(a.Name, b.Name));
        var distinct = new List<ElfFunction>(functions.Count);
        foreach (ElfFunction function in functions)
        {
            if (distinct.Count == 0 || distinct[^1].Address != function.Address)
            {
                distinct.Add(function);
            }
        }

        return distinct.Count == 0 ? None : new ElfSymbols([.. distinct]);
    }

    private static string? NameAt(ReadOnlySpan<byte> names, uint offset)
    {
        if (offset >= (uint)names.Length)
        {
            return null;
        }

        ReadOnlySpan<byte> rest = names[(int)offset..];
        int end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }

    private static bool Fits(ReadOnlySpan<byte> file, uint offset, ulong size) => (ulong)offset + size <= (ulong)file.Length;

    private static ushort U16(ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt16LittleEndian(file[at..]);

    private static uint U32(ReadOnlySpan<byte> file, int at) => BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);
}
