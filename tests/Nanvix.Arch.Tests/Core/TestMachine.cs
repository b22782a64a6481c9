using Nanvix.Arch.Core;
using Nanvix.Arch.Mmu;
using Nanvix.Arch.Tests.Isa;

namespace Nanvix.Arch.Tests.Core;

/// <summary>One core over 64 KB of flat memory in bare mode: code at <see cref="CodeBase"/>, data at <see cref="DataBase"/>.</summary>
internal sealed class TestMachine : IDisposable
{
    public const uint CodeBase = 0x1000;
    public const uint DataBase = 0x8000;

    private RegisterContext _context;

    public TestMachine(uint size = 64 * 1024, CycleCosts? costs = null)
    {
        Memory = new FlatPhysicalMemory(size);
        Bus = new MemoryBus(Memory);
        Hart = new Hart(Bus, costs);
    }

    public FlatPhysicalMemory Memory { get; }

    public MemoryBus Bus { get; }

    public Hart Hart { get; }

    public ref RegisterContext Context => ref _context;

    public uint this[int register]
    {
        get => _context.Get(register);
        set => _context.Set(register, value);
    }

    public void Load(uint address, params uint[] words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            Memory.Write32(address + (uint)(4 * i), words[i]);
        }

        // Written from C#, not by a core: the predecoded copy must be dropped, as a kernel loading a program does.
        Bus.InvalidateAllCode();
    }

    /// <summary>Loads <paramref name="program"/> at <see cref="CodeBase"/> and runs it from there.</summary>
    public RunResult Run(uint[] program, ulong budget = 100_000)
    {
        Load(CodeBase, program);
        _context.Pc = CodeBase;
        return Hart.Run(ref _context, budget);
    }

    /// <summary>Runs <paramref name="program"/> followed by an ECALL and checks that it ends there.</summary>
    public RunResult RunToEcall(params uint[] program)
    {
        RunResult result = Run([.. program, Rv32.Ecall]);
        Assert.True(result.IsTrap, result.ToString());
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(CodeBase + (uint)(4 * program.Length), result.Pc);
        return result;
    }

    /// <summary>Runs the given instruction after setting x1 = <paramref name="a"/>, x2 = <paramref name="b"/>; returns x3.</summary>
    public uint Compute(uint instruction, uint a, uint b)
    {
        this[1] = a;
        this[2] = b;
        RunToEcall(instruction);
        return this[3];
    }

    public void Dispose() => Memory.Dispose();
}
