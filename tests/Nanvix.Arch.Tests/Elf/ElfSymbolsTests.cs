using System.Buffers.Binary;
using Nanvix.Arch.Elf;
using Nanvix.Tests.Shared;

namespace Nanvix.Arch.Tests.Elf;

/// <summary><see cref="ElfSymbols"/>: the functions of a program's symbol table, and none (never an error) when it has no table that holds together.</summary>
public sealed class ElfSymbolsTests
{
    private static readonly byte[] ForkJoin = RepositoryFiles.UserProgram("forkjoin");

    private static byte[] Patched(Action<byte[]> patch)
    {
        byte[] copy = (byte[])ForkJoin.Clone();
        patch(copy);
        return copy;
    }

    private static ElfFunction Function(ElfSymbols symbols, string name) => Assert.Single(symbols.Functions, f => f.Name == name);

    [Fact]
    public void The_functions_of_a_clang_built_program_are_named_and_lie_in_its_text()
    {
        ElfImage image = ElfImage.Parse(ForkJoin, 512 * 1024);
        ElfSymbols symbols = ElfSymbols.Read(ForkJoin);

        Assert.Equal("_start", symbols.FunctionAt(image.Entry));
        Assert.Equal(image.Entry, Function(symbols, "_start").Address);
        foreach (string name in (string[])["main", "printf", "nanvix_thread_create", "nanvix_thread_join"])
        {
            ElfFunction f = Function(symbols, name);
            Assert.Contains(image.Segments, s => s.Permissions.HasFlag(SegmentPermissions.Execute) && s.Contains(f.Address) && (ulong)f.Address + f.Size <= s.End);
        }

        Assert.True(symbols.Functions.Zip(symbols.Functions.Skip(1)).All(p => p.First.End <= p.Second.Address), "in address order, not overlapping");
    }

    [Fact]
    public void A_pc_is_named_from_the_first_byte_of_a_function_to_its_last()
    {
        ElfSymbols symbols = ElfSymbols.Read(ForkJoin);
        ElfFunction main = Function(symbols, "main");

        Assert.Equal("main", symbols.FunctionAt(main.Address));
        Assert.Equal("main", symbols.FunctionAt(main.Address + main.Size - 4));
        Assert.NotEqual("main", symbols.FunctionAt(main.Address + main.Size));
        Assert.NotEqual("main", symbols.FunctionAt(main.Address - 4));
    }

    [Fact]
    public void A_pc_in_no_function_has_no_name()
    {
        ElfSymbols symbols = ElfSymbols.Read(ForkJoin);

        Assert.Null(symbols.FunctionAt(0));
        Assert.Null(symbols.FunctionAt(symbols.Functions[0].Address - 4));
        Assert.Null(symbols.FunctionAt((uint)symbols.Functions[^1].End + 0x1000));
        Assert.Null(symbols.FunctionAt(uint.MaxValue));
    }

    public static TheoryData<string> Broken => ["no section headers", "section headers past the end", "bad section header size", "string table out of range", "symbol table past the end", "not an ELF file"];

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_program_without_a_symbol_table_that_holds_together_has_no_functions(string broken)
    {
        uint shoff = BinaryPrimitives.ReadUInt32LittleEndian(ForkJoin.AsSpan(32));
        int symtab = SectionOfType(2);
        byte[] file = Patched(f =>
        {
            switch (broken)
            {
                case "no section headers":
                    BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(48), 0);
                    break;
                case "section headers past the end":
                    BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(32), (uint)f.Length - 8);
                    break;
                case "bad section header size":
                    BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(46), 32);
                    break;
                case "string table out of range":
                    BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan((int)shoff + (symtab * 40) + 24), 0xFFFF);
                    break;
                case "symbol table past the end":
                    BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan((int)shoff + (symtab * 40) + 20), (uint)f.Length);
                    break;
                default:
                    f[1] = (byte)'X';
                    break;
            }
        });

        Assert.NotEmpty(ElfSymbols.Read(ForkJoin).Functions);
        Assert.Same(ElfSymbols.None, ElfSymbols.Read(file));
        Assert.Null(ElfSymbols.Read(file).FunctionAt(ElfImage.Parse(ForkJoin, 512 * 1024).Entry));
    }

    [Fact]
    public void A_truncated_file_has_no_functions()
    {
        // lld writes the section headers last: any cut loses some of them.
        for (int length = 0; length < ForkJoin.Length; length += 97)
        {
            Assert.Same(ElfSymbols.None, ElfSymbols.Read(ForkJoin.AsSpan(0, length)));
        }

        Assert.Same(ElfSymbols.None, ElfSymbols.Read(ForkJoin.AsSpan(0, ForkJoin.Length - 1)));
    }

    private static int SectionOfType(uint type)
    {
        uint shoff = BinaryPrimitives.ReadUInt32LittleEndian(ForkJoin.AsSpan(32));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(ForkJoin.AsSpan(48));
        for (int i = 0; i < count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(ForkJoin.AsSpan((int)shoff + (i * 40) + 4)) == type)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no section of type {type}");
    }
}
