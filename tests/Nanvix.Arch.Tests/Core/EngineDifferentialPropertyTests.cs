using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

/// <summary>
/// Random RV32IMA programs (ALU, M, loads and stores over several cache lines, misaligned and faulting accesses, LR/SC
/// and AMOs, counter reads, stores over the code itself, FENCE.I, branches, jumps, ecalls) run on two cores, one with
/// <see cref="HartEngine.Fast"/> and one with the reference <see cref="HartEngine.Step"/>, in random budgets, with kernel
/// D$ accesses between the runs as the kernel makes them: after every run both give the same result (trap, pc, tval,
/// retired), registers, instruction and cycle counts and cache counters. Fixed seeds.
/// </summary>
public sealed class EngineDifferentialPropertyTests
{
    private const int CodeWords = 256;

    public static TheoryData<string> Caches => ["off", "write-through", "write-back"];

    [Theory]
    [MemberData(nameof(Caches))]
    public void Fast_engine_matches_the_stepping_engine_after_every_run(string caches)
    {
        for (int seed = 1; seed <= 60; seed++)
        {
            var random = new Random(seed);
            uint[] program = Program(random);
            using TestMachine fast = Machine(program, caches, HartEngine.Fast);
            using TestMachine step = Machine(program, caches, HartEngine.Step);

            for (int run = 0; run < 150; run++)
            {
                ulong budget = (ulong)random.Next(1, 40);
                RunResult f = fast.Hart.Run(ref fast.Context, budget);
                RunResult s = step.Hart.Run(ref step.Context, budget);
                string where = $"caches {caches}, seed {seed}, run {run}";
                Assert.True(s.ToString() == f.ToString(), $"{where}: step {s}, fast {f}");
                AssertSameState(step, fast, where);

                uint kernelAddress = (uint)random.Next(0, 64 * 1024) & ~3u;
                bool kernelWrite = random.Next(2) == 0;
                fast.Hart.AccountKernelAccess(kernelAddress, kernelWrite);
                step.Hart.AccountKernelAccess(kernelAddress, kernelWrite);
                if (s.IsTrap)
                {
                    // As the kernel does after a kernel call or a killed instruction: go on after it, or start over
                    // when the pc left the code.
                    uint next = s.Pc + 4;
                    next = next >= TestMachine.CodeBase && next < TestMachine.CodeBase + (4 * CodeWords) && (next & 3) == 0 ? next : TestMachine.CodeBase;
                    fast.Context.Pc = next;
                    step.Context.Pc = next;
                }
            }
        }
    }

    private static TestMachine Machine(uint[] program, string caches, HartEngine engine)
    {
        TestMachine m = new();
        m.Hart.Engine = engine;
        if (caches == "write-through")
        {
            m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }
        else if (caches == "write-back")
        {
            var small = new CacheGeometry(512, 2, 32, WritePolicy.WriteBackAllocate);
            m.Hart.EnableCaches(small, small);
        }

        m.Load(TestMachine.CodeBase, program);
        m[1] = TestMachine.DataBase;
        m[2] = TestMachine.CodeBase;
        m.Context.Pc = TestMachine.CodeBase;
        return m;
    }

    private static void AssertSameState(TestMachine step, TestMachine fast, string where)
    {
        for (int r = 0; r < 32; r++)
        {
            Assert.True(step[r] == fast[r], $"{where}: x{r} step {step[r]:x8}, fast {fast[r]:x8}");
        }

        Assert.True(step.Context.Pc == fast.Context.Pc, $"{where}: pc");
        Assert.True(step.Hart.Retired == fast.Hart.Retired, $"{where}: retired step {step.Hart.Retired}, fast {fast.Hart.Retired}");
        Assert.True(step.Hart.Cycles == fast.Hart.Cycles, $"{where}: cycles step {step.Hart.Cycles}, fast {fast.Hart.Cycles}");
        if (step.Hart.InstructionCache is { } stepI)
        {
            Assert.Equal(stepI.User, fast.Hart.InstructionCache!.User);
            Assert.Equal(step.Hart.DataCache!.User, fast.Hart.DataCache!.User);
            Assert.Equal(step.Hart.DataCache.Kernel, fast.Hart.DataCache.Kernel);
        }
    }

    /// <summary>x1 = data base and x2 = code base are never written; the others are fair game.</summary>
    private static uint[] Program(Random random)
    {
        var words = new uint[CodeWords];
        for (int i = 0; i < words.Length; i++)
        {
            int rd = random.Next(3, 16);
            int rs = random.Next(0, 16);
            int rt = random.Next(0, 16);
            int near = random.Next(-8, 9) * 4;
            int data = random.Next(0, 6) == 0 ? random.Next(-2048, 2048) : random.Next(0, 512) * 4;
            words[i] = random.Next(0, 26) switch
            {
                0 => Addi(rd, rs, random.Next(-2048, 2048)),
                1 => Add(rd, rs, rt),
                2 => Xor(rd, rs, rt),
                3 => Slli(rd, rs, random.Next(0, 32)),
                4 => Lui(rd, random.Next() << 12),
                5 => Auipc(rd, random.Next(0, 4) << 12),
                6 => Mul(rd, rs, rt),
                7 => Divu(rd, rs, rt),
                8 => Lw(rd, 1, data),
                9 => Lbu(rd, 1, data + random.Next(0, 4)),
                10 => Lh(rd, 1, data + random.Next(0, 2)),
                11 => Sw(rt, 1, data),
                12 => Sb(rt, 1, data + random.Next(0, 4)),
                13 => Sh(rt, 1, data),
                14 => Lw(rd, rs, random.Next(-64, 64) * 4), // often outside memory or misaligned: a trap
                15 => Sw(rt, 2, random.Next(0, CodeWords) * 4), // self-modifying code
                16 => FenceI,
                17 => Csrrs(rd, random.Next(0, 2) == 0 ? 0xC00 : 0xC02, 0), // rdcycle, rdinstret
                18 => Bne(rs, rt, near == 0 ? 4 : near),
                19 => Blt(rs, rt, near == 0 ? 4 : near),
                20 => Jal(random.Next(0, 2) == 0 ? 0 : rd, near == 0 ? 8 : near),
                21 => LrW(rd, 1),
                22 => ScW(rd, 1, rt),
                23 => AmoAddW(rd, 1, rt),
                24 => Ecall,
                _ => Lw(rd, 1, random.Next(0, 64) * 4), // one hot line
            };
        }

        return words;
    }
}
