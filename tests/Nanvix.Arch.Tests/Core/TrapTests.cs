using Nanvix.Arch.Core;
using Nanvix.Arch.Tests.Isa;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

public sealed class TrapTests : IDisposable
{
    private readonly TestMachine _m = new();

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Ecall_traps_with_cause_8_and_leaves_pc_at_the_ecall()
    {
        RunResult result = _m.Run([Addi(1, 0, 1), Ecall, Addi(1, 0, 2)]);
        Assert.True(result.IsTrap);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(TestMachine.CodeBase + 4, result.Pc);
        Assert.Equal(TestMachine.CodeBase + 4, _m.Context.Pc);
        Assert.Equal(0u, result.Tval);
        Assert.Equal(1ul, result.Retired);
    }

    [Fact]
    public void Kernel_resumes_after_an_ecall_by_advancing_pc()
    {
        _m.Run([Ecall, Addi(1, 0, 7), Ecall]);
        _m.Context.Pc += 4;
        RunResult result = _m.Hart.Run(ref _m.Context, 100);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(7u, _m[1]);
    }

    [Fact]
    public void Ebreak_traps_with_cause_3_and_tval_pc()
    {
        RunResult result = _m.Run([Ebreak]);
        Assert.Equal(TrapCause.Breakpoint, result.Cause);
        Assert.Equal(TestMachine.CodeBase, result.Pc);
        Assert.Equal(TestMachine.CodeBase, result.Tval);
    }

    [Theory]
    [InlineData(0x00000000u)] // defined illegal (and compressed space)
    [InlineData(0x00004501u)] // c.li a0, 0: compressed, not supported
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x30200073u)] // mret: privileged
    [InlineData(0x10500073u)] // wfi
    [InlineData(0x1030A0AFu)] // lr.w x1, (x1) with rs2 = x3: reserved
    [InlineData(0x0000302Fu)] // amoadd.d: RV64 only
    [InlineData(0x0000200Fu)] // misc-mem funct3 2
    public void Illegal_instruction_traps_with_cause_2_and_tval_the_bits(uint bits)
    {
        RunResult result = _m.Run([bits]);
        Assert.Equal(TrapCause.IllegalInstruction, result.Cause);
        Assert.Equal(TestMachine.CodeBase, result.Pc);
        Assert.Equal(bits, result.Tval);
        Assert.Equal(0ul, result.Retired);
    }

    [Fact]
    public void Reading_a_non_counter_csr_is_illegal()
    {
        uint mstatus = Csrrs(1, 0x300, 0);
        uint fflags = Csrrs(1, 0x001, 0);
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([mstatus]).Cause);
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([fflags]).Cause);
    }

    [Fact]
    public void Writing_a_counter_csr_is_illegal()
    {
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([Csrrw(1, 0xC00, 0)]).Cause);
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([Csrrs(1, 0xC00, 2)]).Cause);
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([Csrrwi(1, 0xC00, 0)]).Cause);
        Assert.Equal(TrapCause.IllegalInstruction, _m.Run([Csrrci(1, 0xC00, 1)]).Cause);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Misaligned_word_load_traps_with_cause_4_and_tval_the_address(int offset)
    {
        _m[1] = TestMachine.DataBase;
        RunResult result = _m.Run([Lw(2, 1, offset)]);
        Assert.Equal(TrapCause.LoadAddressMisaligned, result.Cause);
        Assert.Equal(TestMachine.DataBase + (uint)offset, result.Tval);
        Assert.Equal(TestMachine.CodeBase, result.Pc);
    }

    [Fact]
    public void Misaligned_halfword_accesses_trap_and_byte_accesses_never_do()
    {
        _m[1] = TestMachine.DataBase + 1;
        Assert.Equal(TrapCause.LoadAddressMisaligned, _m.Run([Lh(2, 1, 0)]).Cause);
        Assert.Equal(TrapCause.LoadAddressMisaligned, _m.Run([Lhu(2, 1, 0)]).Cause);
        Assert.Equal(TrapCause.StoreAddressMisaligned, _m.Run([Sh(2, 1, 0)]).Cause);
        _m.RunToEcall(Lb(2, 1, 0), Sb(2, 1, 0));
    }

    [Fact]
    public void Misaligned_store_traps_with_cause_6_and_writes_nothing()
    {
        _m[1] = TestMachine.DataBase + 2;
        _m[2] = 0xFFFFFFFF;
        RunResult result = _m.Run([Sw(2, 1, 0)]);
        Assert.Equal(TrapCause.StoreAddressMisaligned, result.Cause);
        Assert.Equal(TestMachine.DataBase + 2, result.Tval);
        Assert.Equal(0u, _m.Memory.Read32(TestMachine.DataBase));
        Assert.Equal(0u, _m.Memory.Read32(TestMachine.DataBase + 4));
    }

    [Fact]
    public void Jalr_to_a_misaligned_target_traps_at_the_jump_without_linking()
    {
        _m[5] = TestMachine.CodeBase + 0x102;
        RunResult result = _m.Run([Jalr(1, 5, 0)]);
        Assert.Equal(TrapCause.InstructionAddressMisaligned, result.Cause);
        Assert.Equal(TestMachine.CodeBase, result.Pc);
        Assert.Equal(TestMachine.CodeBase + 0x102, result.Tval);
        Assert.Equal(0u, _m[1]);
    }

    [Fact]
    public void Jal_and_taken_branch_to_a_misaligned_target_trap_and_untaken_branch_does_not()
    {
        RunResult jal = _m.Run([Jal(1, 6)]);
        Assert.Equal(TrapCause.InstructionAddressMisaligned, jal.Cause);
        Assert.Equal(TestMachine.CodeBase + 6, jal.Tval);
        Assert.Equal(0u, _m[1]);

        RunResult taken = _m.Run([Beq(0, 0, 6)]);
        Assert.Equal(TrapCause.InstructionAddressMisaligned, taken.Cause);
        Assert.Equal(TestMachine.CodeBase, taken.Pc);

        _m[1] = 1;
        _m.RunToEcall(Beq(0, 1, 6));
    }

    [Theory]
    [InlineData(HartEngine.Step)]
    [InlineData(HartEngine.Fast)]
    public void A_taken_branch_to_a_misaligned_target_costs_no_cycles_in_either_engine(HartEngine engine)
    {
        using TestMachine m = new(costs: new CycleCosts { Alu = 1, Branch = 10 });
        m.Hart.Engine = engine;

        // Only the ADDI before it is charged: the trapping branch (here the second of a fused pair) does not retire.
        RunResult result = m.Run([Addi(1, 0, 1), Bne(1, 0, 6)]);

        Assert.Equal(TrapCause.InstructionAddressMisaligned, result.Cause);
        Assert.Equal(1ul, m.Hart.Retired);
        Assert.Equal(1ul, m.Hart.Cycles);
    }

    [Fact]
    public void Starting_at_a_misaligned_pc_traps_with_cause_0()
    {
        _m.Context.Pc = TestMachine.CodeBase + 2;
        RunResult result = _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(TrapCause.InstructionAddressMisaligned, result.Cause);
        Assert.Equal(TestMachine.CodeBase + 2, result.Tval);
    }

    [Fact]
    public void Budget_end_returns_without_trap_at_the_next_instruction()
    {
        RunResult result = _m.Run([Addi(1, 1, 1), Addi(1, 1, 1), Addi(1, 1, 1), Ecall], budget: 2);
        Assert.False(result.IsTrap);
        Assert.Equal(2ul, result.Retired);
        Assert.Equal(TestMachine.CodeBase + 8, _m.Context.Pc);
        Assert.Equal(2u, _m[1]);

        RunResult rest = _m.Hart.Run(ref _m.Context, 100);
        Assert.Equal(TrapCause.EcallFromUser, rest.Cause);
        Assert.Equal(3u, _m[1]);
    }

    [Fact]
    public void Infinite_loop_ends_with_the_budget()
    {
        RunResult result = _m.Run([Jal(0, 0)], budget: 1000);
        Assert.False(result.IsTrap);
        Assert.Equal(1000ul, result.Retired);
    }
}
