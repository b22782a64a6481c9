using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Isa;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

public sealed class CounterTests : IDisposable
{
    private readonly TestMachine _m = new();

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Instret_counts_retired_instructions_before_the_reader()
    {
        _m.RunToEcall(Nop, Nop, Nop, Csrrs(1, CounterCsr.Instret, 0), Csrrs(2, CounterCsr.InstretH, 0));
        Assert.Equal(3u, _m[1]);
        Assert.Equal(0u, _m[2]);
        Assert.Equal(5ul, _m.Hart.Retired);
    }

    [Fact]
    public void Cycle_and_time_increase_and_include_the_offset()
    {
        _m.Hart.CounterOffset = 0x1_0000_0000;
        _m.RunToEcall(Csrrs(1, CounterCsr.Cycle, 0), Nop, Csrrsi(2, CounterCsr.Cycle, 0), Csrrc(3, CounterCsr.Time, 0), Csrrs(4, CounterCsr.CycleH, 0), Csrrs(5, CounterCsr.TimeH, 0));
        Assert.True(_m[2] > _m[1]);
        Assert.True(_m[3] > _m[2]);
        Assert.Equal(1u, _m[4]);
        Assert.Equal(1u, _m[5]);
    }

    [Fact]
    public void Cycles_follow_the_cost_table()
    {
        using TestMachine m = new(costs: new CycleCosts { Alu = 1, Multiply = 3, Divide = 20, Load = 2, Store = 4 });
        m[1] = TestMachine.DataBase;
        m.RunToEcall(Addi(2, 0, 1), Mul(3, 2, 2), Div(3, 2, 2), Lw(4, 1, 0), Sw(4, 1, 0));
        Assert.Equal(1ul + 3 + 20 + 2 + 4, m.Hart.Cycles);
        Assert.Equal(5ul, m.Hart.Retired);
    }

    [Fact]
    public void Trapping_instruction_neither_retires_nor_costs()
    {
        _m.RunToEcall(Nop);
        Assert.Equal(1ul, _m.Hart.Retired);
        Assert.Equal(1ul, _m.Hart.Cycles);
    }

    [Fact]
    public void Disabled_caches_cost_no_cycles()
    {
        uint[] program = [Lui(1, (int)TestMachine.DataBase), Lw(2, 1, 0), Lw(2, 1, 64), Sw(2, 1, 128)];
        _m.RunToEcall(program);
        ulong without = _m.Hart.Cycles;
        Assert.Null(_m.Hart.DataCache);

        using TestMachine cached = new();
        cached.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        cached.RunToEcall(program);
        Assert.Equal(4ul, without);

        // One I$ miss (all five instructions share a line), two D$ read misses; the write-through store miss does not stall.
        Assert.Equal(4ul + (3 * CycleCosts.Mppa256.CacheMissPenalty), cached.Hart.Cycles);
    }
}
