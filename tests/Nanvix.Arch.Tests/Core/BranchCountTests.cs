using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

/// <summary>
/// <see cref="Hart.BranchesTaken"/> and <see cref="Hart.BranchesNotTaken"/>: small programs whose conditional branches
/// are known, run by every engine (the stepping loop and the blocks, cache models off and on), give the exact counts;
/// a branch that traps is not counted; the counts add up over runs like <see cref="Hart.Retired"/>.
/// </summary>
public sealed class BranchCountTests
{
    public static TheoryData<HartEngine, bool> Engines => new()
    {
        { HartEngine.Step, false },
        { HartEngine.Step, true },
        { HartEngine.Fast, false },
        { HartEngine.Fast, true },
    };

    /// <summary>Each kind of branch, with operands for which it is taken and for which it is not (signed and unsigned told apart).</summary>
    public static TheoryData<string, HartEngine, bool> Kinds
    {
        get
        {
            var data = new TheoryData<string, HartEngine, bool>();
            foreach (string kind in (string[])["beq", "bne", "blt", "bge", "bltu", "bgeu"])
            {
                foreach (HartEngine engine in (HartEngine[])[HartEngine.Step, HartEngine.Fast])
                {
                    data.Add(kind, engine, false);
                    data.Add(kind, engine, true);
                }
            }

            return data;
        }
    }

    private static TestMachine Machine(HartEngine engine, bool caches)
    {
        TestMachine m = new();
        m.Hart.Engine = engine;
        if (caches)
        {
            m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }

        return m;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_countdown_loop_of_k_iterations_takes_its_branch_k_minus_1_times_and_falls_through_once(HartEngine engine, bool caches)
    {
        foreach (int k in (int[])[1, 2, 7, 100])
        {
            using TestMachine m = Machine(engine, caches);

            // x1 = k; loop: x1 -= 1; bne x1, x0, loop (an ADDI and a branch: a fused pair in the block engine).
            m.RunToEcall(Addi(1, 0, k), Addi(1, 1, -1), Bne(1, 0, -4));

            Assert.Equal((ulong)(k - 1), m.Hart.BranchesTaken);
            Assert.Equal(1ul, m.Hart.BranchesNotTaken);
            Assert.Equal((ulong)(1 + (2 * k)), m.Hart.Retired);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Nested_loops_count_every_inner_and_outer_branch(HartEngine engine, bool caches)
    {
        using TestMachine m = Machine(engine, caches);
        m[5] = 1;

        // x1 = 0 (outer counter), x3 = 3 (outer bound), x4 = 5 (inner bound):
        // outer: x2 = 0; inner: x2 += 1 (ADD, not fused); bltu x2, x4, inner; x1 += x5; blt x1, x3, outer.
        m.RunToEcall(
            Addi(1, 0, 0),
            Addi(3, 0, 3),
            Addi(4, 0, 5),
            Addi(2, 0, 0),
            Add(2, 2, 5),
            Bltu(2, 4, -4),
            Add(1, 1, 5),
            Blt(1, 3, -16));

        // Inner: 3 × (4 taken + 1 not taken); outer: 2 taken + 1 not taken.
        Assert.Equal((3ul * 4) + 2, m.Hart.BranchesTaken);
        Assert.Equal(3ul + 1, m.Hart.BranchesNotTaken);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_of_conditional_branch_counts_as_taken_or_not_taken_by_its_own_comparison(string kind, HartEngine engine, bool taken)
    {
        // Operands: x1 = -1 (0xFFFFFFFF), x2 = 1; signed -1 < 1, unsigned 0xFFFFFFFF > 1.
        (uint instruction, int a, int b) = (kind, taken) switch
        {
            ("beq", true) => (Beq(1, 2, 8), 1, 1),
            ("beq", false) => (Beq(1, 2, 8), -1, 1),
            ("bne", true) => (Bne(1, 2, 8), -1, 1),
            ("bne", false) => (Bne(1, 2, 8), 1, 1),
            ("blt", true) => (Blt(1, 2, 8), -1, 1),
            ("blt", false) => (Blt(1, 2, 8), 1, -1),
            ("bge", true) => (Bge(1, 2, 8), 1, -1),
            ("bge", false) => (Bge(1, 2, 8), -1, 1),
            ("bltu", true) => (Bltu(1, 2, 8), 1, -1),
            ("bltu", false) => (Bltu(1, 2, 8), -1, 1),
            ("bgeu", true) => (Bgeu(1, 2, 8), -1, 1),
            _ => (Bgeu(1, 2, 8), 1, -1),
        };
        using TestMachine m = Machine(engine, caches: false);
        m[1] = (uint)a;
        m[2] = (uint)b;

        // The branch skips the ECALL after it when taken; either way the run ends at an ECALL.
        RunResult result = m.Run([instruction, Ecall, Ecall]);

        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(TestMachine.CodeBase + (taken ? 8u : 4u), result.Pc);
        Assert.Equal(taken ? 1ul : 0ul, m.Hart.BranchesTaken);
        Assert.Equal(taken ? 0ul : 1ul, m.Hart.BranchesNotTaken);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_taken_branch_to_a_misaligned_target_traps_and_is_not_counted(HartEngine engine, bool caches)
    {
        using TestMachine m = Machine(engine, caches);

        // One counted branch before it, so that a count given back wrongly would show; the ADDI before the trapping
        // branch makes it the second of a fused pair in the block engine.
        RunResult result = m.Run([Beq(0, 0, 4), Addi(1, 0, 1), Beq(1, 1, 6), Ecall]);

        Assert.True(result.IsTrap);
        Assert.Equal(TrapCause.InstructionAddressMisaligned, result.Cause);
        Assert.Equal(TestMachine.CodeBase + 8, result.Pc);
        Assert.Equal(2ul, m.Hart.Retired);
        Assert.Equal(1ul, m.Hart.BranchesTaken);
        Assert.Equal(0ul, m.Hart.BranchesNotTaken);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_branch_not_taken_with_a_misaligned_offset_retires_and_counts(HartEngine engine, bool caches)
    {
        using TestMachine m = Machine(engine, caches);

        // The target is checked only when the branch is taken (a misaligned offset of a branch that falls through is no trap).
        m.RunToEcall(Bne(0, 0, 6));

        Assert.Equal(0ul, m.Hart.BranchesTaken);
        Assert.Equal(1ul, m.Hart.BranchesNotTaken);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Branches_out_of_the_last_slot_of_a_page_count_taken_or_not(HartEngine engine, bool caches)
    {
        const uint last = TestMachine.CodeBase + 0xFFC;

        // At the page's last slot, a branch that falls through into the next page, then one taken within it over an
        // EBREAK; or one taken from the last slot to the next page's second slot, then one that falls through.
        uint[][] programs =
        [
            [Addi(1, 0, 1), Beq(1, 0, 8), Bne(1, 0, 8), Ebreak, Ecall],
            [Addi(1, 0, 1), Bne(1, 0, 8), Ebreak, Beq(1, 0, 8), Ecall],
        ];
        foreach (uint[] program in programs)
        {
            using TestMachine m = Machine(engine, caches);
            m.Load(last - 4, program);
            m.Context.Pc = last - 4;
            RunResult result = m.Hart.Run(ref m.Context, 100);

            Assert.Equal(TrapCause.EcallFromUser, result.Cause);
            Assert.Equal(last + 12, result.Pc);
            Assert.Equal(1ul, m.Hart.BranchesTaken);
            Assert.Equal(1ul, m.Hart.BranchesNotTaken);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Counts_add_up_over_runs_whose_budgets_end_inside_blocks(HartEngine engine, bool caches)
    {
        foreach (ulong budget in (ulong[])[1, 2, 3, 5])
        {
            using TestMachine m = Machine(engine, caches);
            m[5] = 1;

            // A loop of 10 with two instructions before its branch, so that budgets end inside the block.
            m.Load(TestMachine.CodeBase, Addi(1, 0, 10), Sub(1, 1, 5), Xor(2, 2, 1), Bge(1, 5, -8), Ecall);
            m.Context.Pc = TestMachine.CodeBase;
            RunResult result;
            int runs = 0;
            do
            {
                result = m.Hart.Run(ref m.Context, budget);
                runs++;
            }
            while (!result.IsTrap);

            Assert.Equal(TrapCause.EcallFromUser, result.Cause);
            Assert.True(runs > 1);
            Assert.Equal(9ul, m.Hart.BranchesTaken);
            Assert.Equal(1ul, m.Hart.BranchesNotTaken);
            Assert.Equal(1ul + (3 * 10), m.Hart.Retired);
        }
    }
}
