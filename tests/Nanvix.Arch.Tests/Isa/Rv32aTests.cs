using Nanvix.Arch.Core;
using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Isa;

/// <summary>
/// LR/SC rule under test: LR reserves one word (replacing any earlier reservation); SC succeeds only on that word and
/// drops the reservation either way; any store to the reserved word, by any core on the bus, breaks it.
/// </summary>
public sealed class Rv32aTests : IDisposable
{
    private const uint Word = TestMachine.DataBase;
    private readonly TestMachine _m = new();

    public Rv32aTests()
    {
        _m[1] = Word;
        _m[2] = 99;
        _m.Memory.Write32(Word, 5);
    }

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Sc_without_reservation_fails_with_one_and_does_not_store()
    {
        _m.RunToEcall(ScW(3, 1, 2));
        Assert.Equal(1u, _m[3]);
        Assert.Equal(5u, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Sc_after_lr_to_the_same_address_succeeds_with_zero()
    {
        _m.RunToEcall(LrW(4, 1), ScW(3, 1, 2));
        Assert.Equal(5u, _m[4]);
        Assert.Equal(0u, _m[3]);
        Assert.Equal(99u, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Second_sc_after_one_lr_fails()
    {
        _m.RunToEcall(LrW(4, 1), ScW(3, 1, 2), ScW(5, 1, 0));
        Assert.Equal(0u, _m[3]);
        Assert.Equal(1u, _m[5]);
        Assert.Equal(99u, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Sc_to_another_address_fails()
    {
        _m[6] = Word + 4;
        _m.RunToEcall(LrW(4, 1), ScW(3, 6, 2));
        Assert.Equal(1u, _m[3]);
        Assert.Equal(0u, _m.Memory.Read32(Word + 4));
    }

    [Fact]
    public void Store_by_the_same_core_to_the_reserved_word_breaks_the_reservation()
    {
        _m.RunToEcall(LrW(4, 1), Sw(0, 1, 0), ScW(3, 1, 2));
        Assert.Equal(1u, _m[3]);
        Assert.Equal(0u, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Store_to_another_word_keeps_the_reservation()
    {
        _m.RunToEcall(LrW(4, 1), Sw(0, 1, 8), ScW(3, 1, 2));
        Assert.Equal(0u, _m[3]);
    }

    [Fact]
    public void Another_lr_replaces_the_reservation()
    {
        _m[6] = Word + 4;
        _m.RunToEcall(LrW(4, 1), LrW(5, 6), ScW(3, 1, 2), LrW(4, 1), LrW(5, 6), ScW(7, 6, 2));
        Assert.Equal(1u, _m[3]);
        Assert.Equal(0u, _m[7]);
        Assert.Equal(99u, _m.Memory.Read32(Word + 4));
    }

    [Fact]
    public void Store_by_another_core_breaks_the_reservation()
    {
        Hart other = new(_m.Bus);
        _m.RunToEcall(LrW(4, 1));

        RegisterContext otherContext = default;
        otherContext.Set(1, Word);
        _m.Load(0x3000, Sw(0, 1, 0), Ecall);
        otherContext.Pc = 0x3000;
        Assert.Equal(TrapCause.EcallFromUser, other.Run(ref otherContext, 10).Cause);

        _m.Load(0x2000, ScW(3, 1, 2), Ecall);
        _m.Context.Pc = 0x2000;
        _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(1u, _m[3]);
    }

    [Fact]
    public void Clear_reservation_makes_the_next_sc_fail()
    {
        _m.RunToEcall(LrW(4, 1));
        _m.Hart.ClearReservation();
        _m.Load(0x2000, ScW(3, 1, 2), Ecall);
        _m.Context.Pc = 0x2000;
        _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(1u, _m[3]);
    }

    [Theory]
    [InlineData(0x01u, 5u, 99u, 99u)] // swap
    [InlineData(0x00u, 5u, 99u, 104u)] // add
    [InlineData(0x04u, 0xF0u, 0xFFu, 0x0Fu)] // xor
    [InlineData(0x0Cu, 0xF0u, 0x3Cu, 0x30u)] // and
    [InlineData(0x08u, 0xF0u, 0x0Fu, 0xFFu)] // or
    [InlineData(0x10u, 0xFFFFFFFFu, 1u, 0xFFFFFFFFu)] // min: -1 < 1
    [InlineData(0x14u, 0xFFFFFFFFu, 1u, 1u)] // max
    [InlineData(0x18u, 0xFFFFFFFFu, 1u, 1u)] // minu
    [InlineData(0x1Cu, 0xFFFFFFFFu, 1u, 0xFFFFFFFFu)] // maxu
    [InlineData(0x10u, 0x80000000u, 0x7FFFFFFFu, 0x80000000u)] // min of extremes
    [InlineData(0x1Cu, 0x80000000u, 0x7FFFFFFFu, 0x80000000u)] // maxu of extremes
    public void Each_amo_returns_the_old_value_and_stores_the_result(uint funct5, uint old, uint operand, uint stored)
    {
        _m.Memory.Write32(Word, old);
        _m[2] = operand;
        _m.RunToEcall(Amo(funct5, 3, 1, 2));
        Assert.Equal(old, _m[3]);
        Assert.Equal(stored, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Amo_with_rd_equal_rs2_returns_old_and_uses_the_old_operand()
    {
        _m[2] = 10;
        _m.RunToEcall(AmoAddW(2, 1, 2));
        Assert.Equal(5u, _m[2]);
        Assert.Equal(15u, _m.Memory.Read32(Word));
    }

    [Fact]
    public void Misaligned_amo_traps_as_store_misaligned()
    {
        _m[1] = Word + 2;
        RunResult result = _m.Run([AmoAddW(3, 1, 2)]);
        Assert.Equal(TrapCause.StoreAddressMisaligned, result.Cause);
        Assert.Equal(Word + 2, result.Tval);
    }

    [Fact]
    public void Misaligned_lr_traps_as_load_misaligned()
    {
        _m[1] = Word + 1;
        RunResult result = _m.Run([LrW(3, 1)]);
        Assert.Equal(TrapCause.LoadAddressMisaligned, result.Cause);
    }
}
