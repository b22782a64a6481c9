using Nanvix.Arch.Core;
using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Isa;

public sealed class Rv32iTests : IDisposable
{
    private readonly TestMachine _m = new();

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Write_to_x0_is_ignored()
    {
        _m.RunToEcall(Addi(0, 0, 5), Lui(0, 0x12345000), Add(1, 0, 0));
        Assert.Equal(0u, _m[0]);
        Assert.Equal(0u, _m[1]);
        Assert.Equal(0u, _m.Context.Get(0));
    }

    [Fact]
    public void Load_into_x0_still_reads_memory_and_is_dropped()
    {
        _m[1] = TestMachine.DataBase;
        _m.Memory.Write32(TestMachine.DataBase, 77);
        _m.RunToEcall(Lw(0, 1, 0), Add(2, 0, 0));
        Assert.Equal(0u, _m[2]);
    }

    [Theory]
    [InlineData(-1, 0xFFFFFFFFu)]
    [InlineData(-2048, 0xFFFFF800u)]
    [InlineData(2047, 0x7FFu)]
    public void Addi_sign_extends_its_immediate(int imm, uint expected)
    {
        _m.RunToEcall(Addi(1, 0, imm));
        Assert.Equal(expected, _m[1]);
    }

    [Fact]
    public void Lui_places_the_upper_twenty_bits_and_zeroes_the_rest()
    {
        _m.RunToEcall(Lui(1, unchecked((int)0xFFFFF000)), Lui(2, 0x12345000));
        Assert.Equal(0xFFFFF000u, _m[1]);
        Assert.Equal(0x12345000u, _m[2]);
    }

    [Fact]
    public void Auipc_adds_the_upper_immediate_to_its_own_pc()
    {
        _m.RunToEcall(Addi(0, 0, 0), Auipc(1, 0x1000), Auipc(2, unchecked((int)0xFFFFF000)));
        Assert.Equal(TestMachine.CodeBase + 4 + 0x1000, _m[1]);
        Assert.Equal(TestMachine.CodeBase + 8 - 0x1000, _m[2]);
    }

    [Fact]
    public void Li_builds_any_constant()
    {
        _m.RunToEcall([.. Li(1, 0xDEADBEEF), .. Li(2, 0x80000800), .. Li(3, 0x7FF)]);
        Assert.Equal(0xDEADBEEFu, _m[1]);
        Assert.Equal(0x80000800u, _m[2]);
        Assert.Equal(0x7FFu, _m[3]);
    }

    [Theory]
    [InlineData(0x80000000u, 0x00000001u, 1u, 0u)] // SLT signed: MIN < 1; SLTU: 0x80000000 > 1
    [InlineData(0xFFFFFFFFu, 0x00000000u, 1u, 0u)] // -1 < 0 signed, not unsigned
    [InlineData(0x00000001u, 0xFFFFFFFFu, 0u, 1u)]
    [InlineData(0x00000005u, 0x00000005u, 0u, 0u)]
    public void Slt_is_signed_and_sltu_is_unsigned(uint a, uint b, uint slt, uint sltu)
    {
        Assert.Equal(slt, _m.Compute(Slt(3, 1, 2), a, b));
        Assert.Equal(sltu, _m.Compute(Sltu(3, 1, 2), a, b));
    }

    [Fact]
    public void Slti_and_sltiu_compare_with_the_sign_extended_immediate()
    {
        _m[1] = 5;
        _m.RunToEcall(Slti(3, 1, -1), Sltiu(4, 1, -1), Slti(5, 1, 6), Sltiu(6, 0, 1));
        Assert.Equal(0u, _m[3]); // 5 < -1 false
        Assert.Equal(1u, _m[4]); // 5 < 0xFFFFFFFF true
        Assert.Equal(1u, _m[5]);
        Assert.Equal(1u, _m[6]); // seqz idiom
    }

    [Fact]
    public void Logical_immediates_sign_extend()
    {
        _m[1] = 0x0F0F0F0F;
        _m.RunToEcall(Xori(3, 1, -1), Ori(4, 1, -16), Andi(5, 1, -16));
        Assert.Equal(0xF0F0F0F0u, _m[3]);
        Assert.Equal(0xFFFFFFFFu, _m[4]);
        Assert.Equal(0x0F0F0F00u, _m[5]);
    }

    [Fact]
    public void Register_logic_operations()
    {
        Assert.Equal(0x0FF0u, _m.Compute(Xor(3, 1, 2), 0x0F0F, 0x00FF));
        Assert.Equal(0x0FFFu, _m.Compute(Or(3, 1, 2), 0x0F0F, 0x00FF));
        Assert.Equal(0x000Fu, _m.Compute(And(3, 1, 2), 0x0F0F, 0x00FF));
        Assert.Equal(0xFFFFFFFFu, _m.Compute(Sub(3, 1, 2), 0, 1));
        Assert.Equal(0u, _m.Compute(Add(3, 1, 2), 0xFFFFFFFF, 1));
    }

    [Fact]
    public void Shift_amounts_are_masked_to_five_bits()
    {
        Assert.Equal(2u, _m.Compute(Sll(3, 1, 2), 1, 33));
        Assert.Equal(0x40000000u, _m.Compute(Srl(3, 1, 2), 0x80000000, 0xFFFFFFE1));
        Assert.Equal(0xC0000000u, _m.Compute(Sra(3, 1, 2), 0x80000000, 32 + 1));
        Assert.Equal(0x80000000u, _m.Compute(Sll(3, 1, 2), 1, 31));
    }

    [Fact]
    public void Sra_of_a_negative_number_fills_with_ones_and_srl_with_zeros()
    {
        _m[1] = 0x80000010;
        _m.RunToEcall(Srai(3, 1, 4), Srli(4, 1, 4), Slli(5, 1, 4), Srai(6, 1, 31));
        Assert.Equal(0xF8000001u, _m[3]);
        Assert.Equal(0x08000001u, _m[4]);
        Assert.Equal(0x00000100u, _m[5]);
        Assert.Equal(0xFFFFFFFFu, _m[6]);
    }

    [Fact]
    public void Shift_immediate_with_bit_five_set_is_illegal_on_rv32()
    {
        uint slli32 = I(32, 1, 1, 3, 0x13);
        RunResult result = _m.Run([slli32]);
        Assert.Equal(TrapCause.IllegalInstruction, result.Cause);
        Assert.Equal(slli32, result.Tval);
    }

    [Theory]
    [InlineData(0xFFFFFF80u, 0xFFFFFF80u, 0x80u)]
    [InlineData(0x0000007Fu, 0x7Fu, 0x7Fu)]
    public void Lb_sign_extends_and_lbu_zero_extends(uint word, uint lb, uint lbu)
    {
        _m.Memory.Write32(TestMachine.DataBase, word);
        _m[1] = TestMachine.DataBase;
        _m.RunToEcall(Lb(3, 1, 0), Lbu(4, 1, 0));
        Assert.Equal(lb, _m[3]);
        Assert.Equal(lbu, _m[4]);
    }

    [Fact]
    public void Lh_sign_extends_and_lhu_zero_extends()
    {
        _m.Memory.Write32(TestMachine.DataBase, 0x7FFF8001);
        _m[1] = TestMachine.DataBase;
        _m.RunToEcall(Lh(3, 1, 0), Lhu(4, 1, 0), Lh(5, 1, 2), Lbu(6, 1, 3));
        Assert.Equal(0xFFFF8001u, _m[3]);
        Assert.Equal(0x8001u, _m[4]);
        Assert.Equal(0x7FFFu, _m[5]);
        Assert.Equal(0x7Fu, _m[6]);
    }

    [Fact]
    public void Stores_write_only_their_width_little_endian()
    {
        _m[1] = TestMachine.DataBase + 16;
        _m[2] = 0xAABBCCDD;
        _m.RunToEcall(Sw(2, 1, -16), Sw(2, 1, -12), Sh(0, 1, -12), Sw(2, 1, -8), Sb(0, 1, -5));
        Assert.Equal(0xAABBCCDDu, _m.Memory.Read32(TestMachine.DataBase));
        Assert.Equal(0xAABB0000u, _m.Memory.Read32(TestMachine.DataBase + 4));
        Assert.Equal(0x00BBCCDDu, _m.Memory.Read32(TestMachine.DataBase + 8));
    }

    [Theory]
    [InlineData(5u, 5u, true, false, false, true, false, true)]
    [InlineData(0xFFFFFFFFu, 1u, false, true, true, false, false, true)]
    [InlineData(1u, 0xFFFFFFFFu, false, true, false, true, true, false)]
    public void Branches_go_both_ways(uint a, uint b, bool beq, bool bne, bool blt, bool bge, bool bltu, bool bgeu)
    {
        Assert.Equal(beq, Taken(Beq(1, 2, 8), a, b));
        Assert.Equal(bne, Taken(Bne(1, 2, 8), a, b));
        Assert.Equal(blt, Taken(Blt(1, 2, 8), a, b));
        Assert.Equal(bge, Taken(Bge(1, 2, 8), a, b));
        Assert.Equal(bltu, Taken(Bltu(1, 2, 8), a, b));
        Assert.Equal(bgeu, Taken(Bgeu(1, 2, 8), a, b));
    }

    [Fact]
    public void Backward_branch_loops()
    {
        // x1 = 10; do { x2 += 3; x1 -= 1; } while (x1 != 0)
        _m.RunToEcall(Addi(1, 0, 10), Addi(2, 2, 3), Addi(1, 1, -1), Bne(1, 0, -8));
        Assert.Equal(30u, _m[2]);
        Assert.Equal(0u, _m[1]);
    }

    [Fact]
    public void Jal_writes_the_link_register_and_jumps()
    {
        RunResult result = _m.Run([Jal(1, 8), Ebreak, Ecall]);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(TestMachine.CodeBase + 8, result.Pc);
        Assert.Equal(TestMachine.CodeBase + 4, _m[1]);
    }

    [Fact]
    public void Jal_backward_with_x0_link_is_a_plain_jump()
    {
        RunResult result = _m.Run([Jal(0, 8), Ecall, Jal(0, -4)]);
        Assert.Equal(TestMachine.CodeBase + 4, result.Pc);
        Assert.Equal(0u, _m[0]);
    }

    [Fact]
    public void Jalr_clears_bit_zero_of_the_target_and_links()
    {
        _m[5] = TestMachine.CodeBase + 8 + 1;
        RunResult result = _m.Run([Jalr(1, 5, 0), Ebreak, Ecall]);
        Assert.Equal(TestMachine.CodeBase + 8, result.Pc);
        Assert.Equal(TestMachine.CodeBase + 4, _m[1]);
    }

    [Fact]
    public void Jalr_with_rd_equal_rs1_uses_the_old_value()
    {
        _m[1] = TestMachine.CodeBase + 8;
        RunResult result = _m.Run([Jalr(1, 1, 0), Ebreak, Ecall]);
        Assert.Equal(TestMachine.CodeBase + 8, result.Pc);
        Assert.Equal(TestMachine.CodeBase + 4, _m[1]);
    }

    [Fact]
    public void Fence_does_nothing_visible()
    {
        _m.RunToEcall(Addi(1, 0, 1), Fence, Addi(1, 1, 1));
        Assert.Equal(2u, _m[1]);
    }

    private bool Taken(uint branch, uint a, uint b)
    {
        _m[1] = a;
        _m[2] = b;
        _m[3] = 0;
        RunResult result = _m.Run([branch, Addi(3, 0, 1), Ecall]);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        return _m[3] == 0;
    }
}
