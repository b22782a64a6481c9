using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Isa;

public sealed class Rv32mTests : IDisposable
{
    private readonly TestMachine _m = new();

    public void Dispose() => _m.Dispose();

    [Theory]
    [InlineData(7u, 6u, 42u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 1u)]
    [InlineData(0x80000000u, 2u, 0u)]
    [InlineData(0x12345678u, 0x9ABCDEF0u, 0x242D2080u)]
    public void Mul_returns_the_low_word(uint a, uint b, uint expected) => Assert.Equal(expected, _m.Compute(Mul(3, 1, 2), a, b));

    [Theory]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000000u, 0xFFFFFFFFu, 0xFFFFFFFEu)] // -1*-1; -1*(2^32-1); (2^32-1)^2
    [InlineData(0x80000000u, 0x80000000u, 0x40000000u, 0xC0000000u, 0x40000000u)]
    [InlineData(0x80000000u, 0x00000002u, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000001u)]
    [InlineData(0x00000002u, 0x80000000u, 0xFFFFFFFFu, 0x00000001u, 0x00000001u)]
    [InlineData(0xFFFFFFFEu, 0x00000003u, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000002u)]
    public void Mulh_variants_treat_operand_signs_as_the_spec_says(uint a, uint b, uint mulh, uint mulhsu, uint mulhu)
    {
        Assert.Equal(mulh, _m.Compute(Mulh(3, 1, 2), a, b));
        Assert.Equal(mulhsu, _m.Compute(Mulhsu(3, 1, 2), a, b));
        Assert.Equal(mulhu, _m.Compute(Mulhu(3, 1, 2), a, b));
    }

    [Fact]
    public void Div_by_zero_returns_all_ones()
    {
        Assert.Equal(0xFFFFFFFFu, _m.Compute(Div(3, 1, 2), 7, 0));
        Assert.Equal(0xFFFFFFFFu, _m.Compute(Div(3, 1, 2), 0x80000000, 0));
    }

    [Fact]
    public void Divu_by_zero_returns_all_ones()
    {
        Assert.Equal(0xFFFFFFFFu, _m.Compute(Divu(3, 1, 2), 7, 0));
    }

    [Fact]
    public void Rem_and_remu_by_zero_return_the_dividend()
    {
        Assert.Equal(0xFFFFFFF9u, _m.Compute(Rem(3, 1, 2), 0xFFFFFFF9, 0));
        Assert.Equal(0xFFFFFFF9u, _m.Compute(Remu(3, 1, 2), 0xFFFFFFF9, 0));
    }

    [Fact]
    public void Div_signed_overflow_returns_the_dividend_and_rem_returns_zero()
    {
        Assert.Equal(0x80000000u, _m.Compute(Div(3, 1, 2), 0x80000000, 0xFFFFFFFF));
        Assert.Equal(0u, _m.Compute(Rem(3, 1, 2), 0x80000000, 0xFFFFFFFF));
    }

    [Theory]
    [InlineData(-7, 2, -3, -1)]
    [InlineData(7, -2, -3, 1)]
    [InlineData(-7, -2, 3, -1)]
    [InlineData(20, 6, 3, 2)]
    public void Div_and_rem_truncate_toward_zero(int a, int b, int quotient, int remainder)
    {
        Assert.Equal((uint)quotient, _m.Compute(Div(3, 1, 2), (uint)a, (uint)b));
        Assert.Equal((uint)remainder, _m.Compute(Rem(3, 1, 2), (uint)a, (uint)b));
    }

    [Fact]
    public void Divu_and_remu_are_unsigned()
    {
        Assert.Equal(0x7FFFFFFCu, _m.Compute(Divu(3, 1, 2), 0xFFFFFFF9, 2));
        Assert.Equal(1u, _m.Compute(Remu(3, 1, 2), 0xFFFFFFF9, 2));
    }
}
