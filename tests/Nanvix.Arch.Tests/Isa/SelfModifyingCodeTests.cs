using Nanvix.Arch.Core;
using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Isa;

/// <summary>
/// Rule under test: a store by a core into a predecoded word invalidates it, so the new instruction runs even without
/// FENCE.I; FENCE.I invalidates everything; a write from C# (the kernel) needs an explicit invalidation.
/// </summary>
public sealed class SelfModifyingCodeTests : IDisposable
{
    private readonly TestMachine _m = new();

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Store_over_a_predecoded_instruction_then_fence_i_runs_the_new_instruction()
    {
        RunResult result = RunPatchLoop(withFenceI: true);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(1u + 42u, _m[10]);
    }

    [Fact]
    public void Store_over_a_predecoded_instruction_runs_the_new_instruction_even_without_fence_i()
    {
        RunResult result = RunPatchLoop(withFenceI: false);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(1u + 42u, _m[10]);
    }

    [Fact]
    public void Instruction_overwriting_itself_completes_and_the_new_one_runs_next_time()
    {
        // sw x2, 0(x1) at CodeBase stores "addi x3, x3, 5" over itself; running from CodeBase again runs the patch.
        _m[1] = TestMachine.CodeBase;
        _m[2] = Addi(3, 3, 5);
        _m.RunToEcall(Sw(2, 1, 0));
        Assert.Equal(0u, _m[3]);
        _m.Context.Pc = TestMachine.CodeBase;
        RunResult result = _m.Hart.Run(ref _m.Context, 100);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(5u, _m[3]);
    }

    [Fact]
    public void Store_from_another_block_over_an_instruction_inside_a_block_already_run_runs_the_new_instruction()
    {
        // The block at 8 (four instructions) runs once; the block at 24 patches its second instruction and jumps back to
        // it: the block from 8 must be built again around the new instruction, not run as it was.
        _m[1] = TestMachine.CodeBase + 12;
        _m[2] = Addi(10, 10, 42);
        _m[5] = 2;
        uint[] program =
        [
            Addi(10, 0, 0), // 0: a0 = 0
            Addi(6, 0, 0), // 4: i = 0
            Addi(10, 10, 1), // 8: loop
            Addi(10, 10, 1), // 12: patch site
            Addi(6, 6, 1), // 16: i++
            Beq(6, 5, 12), // 20: to 32 when i == 2
            Sw(2, 1, 0), // 24: patch
            Jal(0, -20), // 28: to 8
            Ecall, // 32
        ];
        RunResult result = _m.Run(program);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(1u + 1u + 1u + 42u, _m[10]);
        Assert.Equal(TestMachine.CodeBase + 32, result.Pc);
    }

    [Fact]
    public void Store_that_turns_a_stepped_instruction_into_a_plain_one_counts_it_when_a_block_runs_into_it()
    {
        // The counter read at 4 is stepped, so the block from 0 stops before it; a store makes it an ADDI, which runs
        // once on its own from 4; from 0 again the two ADDIs run as one block and both retire.
        _m.Load(TestMachine.CodeBase, Addi(10, 10, 1), Csrrs(0, 0xC00, 0), Ecall);
        _m.Load(TestMachine.CodeBase + 0x100, Sw(2, 1, 0), Ecall);
        _m[1] = TestMachine.CodeBase + 4;
        _m[2] = Addi(10, 10, 42);

        Assert.Equal(2ul, RunFrom(TestMachine.CodeBase).Retired);
        Assert.Equal(1ul, RunFrom(TestMachine.CodeBase + 0x100).Retired);
        Assert.Equal(1ul, RunFrom(TestMachine.CodeBase + 4).Retired);
        RunResult again = RunFrom(TestMachine.CodeBase);
        Assert.Equal(TrapCause.EcallFromUser, again.Cause);
        Assert.Equal(2ul, again.Retired);
        Assert.Equal(1u + 42u + 1u + 42u, _m[10]);
    }

    [Fact]
    public void Kernel_write_needs_an_explicit_invalidation()
    {
        _m.RunToEcall(Addi(1, 0, 1));
        _m.Memory.Write32(TestMachine.CodeBase, Addi(1, 0, 2));

        _m.Context.Pc = TestMachine.CodeBase;
        _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(1u, _m[1]); // the stale predecoded instruction ran

        _m.Bus.InvalidateCode(TestMachine.CodeBase >> 12);
        _m.Context.Pc = TestMachine.CodeBase;
        _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(2u, _m[1]);
    }

    [Fact]
    public void Store_by_another_core_invalidates_code_predecoded_by_this_core()
    {
        _m.RunToEcall(Addi(1, 0, 1));
        Hart other = new(_m.Bus);
        RegisterContext otherContext = default;
        otherContext.Set(1, TestMachine.CodeBase);
        otherContext.Set(2, Addi(1, 0, 3));
        _m.Memory.Write32(0x3000, Sw(2, 1, 0));
        _m.Memory.Write32(0x3004, Ecall);
        otherContext.Pc = 0x3000;
        other.Run(ref otherContext, 10);

        _m.Context.Pc = TestMachine.CodeBase;
        _m.Hart.Run(ref _m.Context, 10);
        Assert.Equal(3u, _m[1]);
    }

    private RunResult RunFrom(uint pc)
    {
        _m.Context.Pc = pc;
        return _m.Hart.Run(ref _m.Context, 100);
    }

    /// <summary>
    /// A loop that runs its body twice: the first pass predecodes "addi a0, a0, 1" at the patch site and then stores
    /// "addi a0, a0, 42" over it; the second pass must run the new instruction.
    /// </summary>
    private RunResult RunPatchLoop(bool withFenceI)
    {
        const uint patchSite = TestMachine.CodeBase + 16;
        _m[1] = patchSite;
        _m[2] = Addi(10, 10, 42);
        _m[5] = 2;
        uint[] program =
        [
            Addi(10, 0, 0), // 0: a0 = 0
            Addi(6, 0, 0), // 4: i = 0
            Nop, // 8
            Nop, // 12
            Addi(10, 10, 1), // 16: patch site
            Sw(2, 1, 0), // 20: patch it
            withFenceI ? FenceI : Nop, // 24
            Addi(6, 6, 1), // 28: i++
            Bne(6, 5, -16), // 32: loop back to the patch site while i != 2
            Ecall, // 36
        ];
        return _m.Run(program);
    }
}
