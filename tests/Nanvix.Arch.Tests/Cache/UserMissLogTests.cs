using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Mmu;
using Nanvix.Arch.Tests.Core;
using Nanvix.Arch.Tests.Mmu;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Cache;

/// <summary>
/// <see cref="Hart.UserMisses"/>: each user miss is logged under the owner of the time, at the (virtual) pc of the
/// instruction whose fetch or data access made it, with its C; both engines log the same.
/// </summary>
public sealed class UserMissLogTests
{
    /// <summary>Under Sv32 the program runs at a virtual address that is not its physical one: the log must give the virtual.</summary>
    private const uint CodeVa = 0x10000;
    private const uint CodePhysical = 0x1000;
    private const uint DataVa = 0x20000;
    private const uint DataPage = 8;
    private const uint RootPage = 12;

    /// <summary>Two lines of 64 B, direct-mapped: A and A + 128 share a set, so A, A + 128, A misses A again by conflict.</summary>
    private static readonly CacheGeometry TinyData = new(128, 1, 64, WritePolicy.WriteThroughNoAllocate);

    [Theory]
    [InlineData(HartEngine.Fast)]
    [InlineData(HartEngine.Step)]
    public void Every_user_miss_is_logged_at_the_virtual_pc_of_its_instruction_with_its_C(HartEngine engine)
    {
        using TestMachine m = Machine(engine, out UserMissLog log);

        // 0x10038 starts the program 8 bytes before the end of an I$ line: 0x10040 starts the next.
        uint start = CodeVa + 0x38;
        m.Load(CodePhysical + 0x38, Lw(2, 1, 0), Lw(3, 1, 128), Lw(4, 1, 0), Ecall);
        m.Context.Pc = start;
        log.Owner = 5;
        RunResult result = m.Hart.Run(ref m.Context, 100);

        Assert.True(result.IsTrap && result.Pc == start + 12, result.ToString());
        Assert.Equal(
            [
                (new UserMissSite(5, start, Instruction: true), new MissCounts(1, 0, 0)),
                (new UserMissSite(5, start, Instruction: false), new MissCounts(1, 0, 0)),
                (new UserMissSite(5, start + 4, Instruction: false), new MissCounts(1, 0, 0)),
                (new UserMissSite(5, start + 8, Instruction: true), new MissCounts(1, 0, 0)),
                (new UserMissSite(5, start + 8, Instruction: false), new MissCounts(0, 0, 1)),
            ],
            Sorted(log));

        // Again under another owner: the code and A are warm, so B and then A miss by conflict, now this owner's.
        log.Owner = 6;
        m.Context.Pc = start;
        m.Hart.Run(ref m.Context, 100);
        Assert.Equal(
            [(new UserMissSite(6, start + 4, Instruction: false), new MissCounts(0, 0, 1)), (new UserMissSite(6, start + 8, Instruction: false), new MissCounts(0, 0, 1))],
            Sorted(log).Where(e => e.Site.Owner == 6));
        Assert.Equal(m.Hart.InstructionCache!.User.Misses + m.Hart.DataCache!.User.Misses, Sorted(log).Aggregate(0UL, (sum, e) => sum + e.Counts.Total));
    }

    [Fact]
    public void A_log_changes_nothing_the_core_counts()
    {
        using TestMachine logged = Machine(HartEngine.Fast, out _);
        using TestMachine plain = Machine(HartEngine.Fast, out _);
        plain.Hart.UserMisses = null;
        uint[] program = [Lw(2, 1, 0), Lw(3, 1, 128), Lw(4, 1, 0), Addi(5, 5, 1), Bne(5, 0, -16)];
        foreach (TestMachine m in (TestMachine[])[logged, plain])
        {
            m.Load(CodePhysical, program);
            m.Context.Pc = CodeVa;
            m.Hart.Run(ref m.Context, 1000);
        }

        Assert.Equal(plain.Hart.Cycles, logged.Hart.Cycles);
        Assert.Equal(plain.Hart.Retired, logged.Hart.Retired);
        Assert.Equal(plain.Hart.DataCache!.User, logged.Hart.DataCache!.User);
        Assert.Equal(plain.Hart.InstructionCache!.User, logged.Hart.InstructionCache!.User);
    }

    private static TestMachine Machine(HartEngine engine, out UserMissLog log)
    {
        var m = new TestMachine(256 * 1024);
        m.Hart.Engine = engine;
        m.Hart.EnableCaches(CacheGeometry.Mppa256, TinyData);
        var tables = new PageTableBuilder(m.Memory, RootPage);
        tables.Map(CodeVa, CodePhysical >> 12, Sv32.V | Sv32.R | Sv32.X | Sv32.U);
        tables.Map(DataVa, DataPage, Sv32.V | Sv32.R | Sv32.W | Sv32.U);
        m.Hart.Mmu.UseSv32(RootPage);
        m[1] = DataVa;
        log = new UserMissLog();
        m.Hart.UserMisses = log;
        return m;
    }

    private static (UserMissSite Site, MissCounts Counts)[] Sorted(UserMissLog log) =>
        [.. log.Entries.Select(e => (e.Key, e.Value)).OrderBy(e => e.Key.Owner).ThenBy(e => e.Key.Pc).ThenBy(e => !e.Key.Instruction)];
}
