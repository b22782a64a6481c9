using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Mmu;
using Nanvix.Arch.Tests.Mmu;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

/// <summary>
/// Random RV32IMA programs (ALU, M, loads and stores over several cache lines, misaligned and faulting accesses, LR/SC
/// and AMOs, counter reads, stores over the code itself, FENCE.I, branches, some to misaligned targets, jumps into the
/// middle of blocks, ecalls), laid over two pages, run on two cores, one with <see cref="HartEngine.Fast"/> (basic
/// blocks) and one with the reference <see cref="HartEngine.Step"/>, in random budgets that end inside blocks or run
/// many of them, with kernel D$ accesses between the runs as the kernel makes them; under Sv32, the kernel also changes
/// a mapping between runs (write permission, execute permission, the frame a page maps), and flushes the TLB or,
/// sometimes, not (both cores must then use the same stale entries). After every run both give the same result (trap,
/// pc, tval, retired), registers, instruction, branch (taken, not taken) and cycle counts, cache counters and memory,
/// page tables included; with user misses logged (<see cref="Hart.UserMisses"/>, under an owner that changes between
/// runs as the kernel's pid does), the same log, pc by pc, whose totals are the user counters. Fixed seeds.
/// </summary>
public sealed class EngineDifferentialPropertyTests
{
    private const int CodeWords = 256;

    /// <summary>Physical address of the program: its second half is on the next page.</summary>
    private const uint CodePhysical = 0x1E00;

    /// <summary>Virtual addresses under Sv32 (bare mode: the physical ones).</summary>
    private const uint CodeVa = 0x11E00;
    private const uint DataVa = 0x20000;

    /// <summary>Two more data pages, whose TLB sets are those of the program's second page and of the data page.</summary>
    private const uint CodeSetVa = 0x32000;
    private const uint DataSetVa = 0x40000;

    private const uint DataPage = 8;
    private const uint OtherDataPage = 9;
    private const uint CodeSetPage = 10;
    private const uint DataSetPage = 11;
    private const uint RootPage = 12;

    /// <summary>Under bare mode, physical pages in those TLB sets (2 and 8 of 32).</summary>
    private const uint BareCodeSet = 0x22000;
    private const uint BareDataSet = 0x28000;

    /// <summary>Instructions that a store may write over the code (x18, x19): a patch the program then runs.</summary>
    private static readonly uint PatchAlu = Addi(3, 3, 7);
    private static readonly uint PatchBranch = Beq(0, 0, 8);
    private const uint Rwu = Sv32.V | Sv32.R | Sv32.W | Sv32.U;
    private const uint Rwxu = Rwu | Sv32.X;

    public static TheoryData<string, bool> Cases => new()
    {
        { "off", false },
        { "write-through", false },
        { "write-back", false },
        { "off", true },
        { "write-through", true },
        { "write-back", true },
        { "write-through logged", false },
        { "write-back logged", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_engine_matches_the_stepping_engine_after_every_run(string caches, bool sv32)
    {
        uint codeBase = sv32 ? CodeVa : CodePhysical;
        ulong taken = 0;
        ulong notTaken = 0;
        int misalignedTargets = 0;
        for (int seed = 1; seed <= 60; seed++)
        {
            var random = new Random(seed);
            uint[] program = Program(random);
            using TestMachine fast = Machine(program, caches, HartEngine.Fast, sv32);
            using TestMachine step = Machine(program, caches, HartEngine.Step, sv32);

            for (int run = 0; run < 150; run++)
            {
                ulong budget = (ulong)(random.Next(4) == 0 ? random.Next(1, 2000) : random.Next(1, 40));
                RunResult f = fast.Hart.Run(ref fast.Context, budget);
                RunResult s = step.Hart.Run(ref step.Context, budget);
                string where = $"caches {caches}, sv32 {sv32}, seed {seed}, run {run}";
                Assert.True(s.ToString() == f.ToString(), $"{where}: step {s}, fast {f}");
                AssertSameState(step, fast, where);
                misalignedTargets += s.IsTrap && s.Cause == TrapCause.InstructionAddressMisaligned ? 1 : 0;

                if (fast.Hart.UserMisses is { } fastLog && random.Next(8) == 0)
                {
                    int owner = random.Next(1, 4);
                    fastLog.Owner = owner;
                    step.Hart.UserMisses!.Owner = owner;
                }

                uint kernelAddress = (uint)random.Next(0, 256 * 1024) & ~3u;
                bool kernelWrite = random.Next(2) == 0;
                fast.Hart.AccountKernelAccess(kernelAddress, kernelWrite);
                step.Hart.AccountKernelAccess(kernelAddress, kernelWrite);
                if (sv32 && random.Next(5) == 0)
                {
                    int change = random.Next(4);
                    bool flush = random.Next(4) != 0;
                    ChangeMapping(fast, change, flush);
                    ChangeMapping(step, change, flush);
                }

                if (s.IsTrap)
                {
                    // As the kernel does after a kernel call or a killed instruction: go on after it, or start over
                    // when the pc left the code.
                    uint next = s.Pc + 4;
                    next = next >= codeBase && next < codeBase + (4 * CodeWords) && (next & 3) == 0 ? next : codeBase;
                    fast.Context.Pc = next;
                    step.Context.Pc = next;
                }
            }

            taken += step.Hart.BranchesTaken;
            notTaken += step.Hart.BranchesNotTaken;
        }

        // The programs exercise both outcomes, and taken branches to misaligned targets (which are not counted).
        Assert.True(taken > 0 && notTaken > 0, $"branches: {taken} taken, {notTaken} not taken");
        Assert.True(misalignedTargets > 0, $"no branch to a misaligned target ({taken} taken, {notTaken} not taken)");
    }

    private static TestMachine Machine(uint[] program, string caches, HartEngine engine, bool sv32)
    {
        TestMachine m = new(256 * 1024);
        m.Hart.Engine = engine;
        if (caches.StartsWith("write-through", StringComparison.Ordinal))
        {
            m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }
        else if (caches.StartsWith("write-back", StringComparison.Ordinal))
        {
            var small = new CacheGeometry(512, 2, 32, WritePolicy.WriteBackAllocate);
            m.Hart.EnableCaches(small, small);
        }

        if (caches.EndsWith(" logged", StringComparison.Ordinal))
        {
            m.Hart.UserMisses = new UserMissLog();
        }

        m.Load(CodePhysical, program);
        if (sv32)
        {
            var tables = new PageTableBuilder(m.Memory, RootPage);
            Assert.Equal(PteAddress(CodeVa), tables.Map(CodeVa, CodePhysical >> 12, Rwxu));
            Assert.Equal(PteAddress(CodeVa + 0x1000), tables.Map(CodeVa + 0x1000, (CodePhysical >> 12) + 1, Rwxu));
            Assert.Equal(PteAddress(DataVa), tables.Map(DataVa, DataPage, Rwu));
            tables.Map(CodeSetVa, CodeSetPage, Rwu);
            tables.Map(DataSetVa, DataSetPage, Rwu);
            m.Hart.Mmu.UseSv32(RootPage);
        }

        m[1] = sv32 ? DataVa : DataPage << 12;
        m[2] = sv32 ? CodeVa : CodePhysical;
        m[16] = sv32 ? CodeSetVa : BareCodeSet;
        m[17] = sv32 ? DataSetVa : BareDataSet;
        m[18] = PatchAlu;
        m[19] = PatchBranch;
        m.Context.Pc = m[2];
        return m;
    }

    /// <summary>Where the PTE of <paramref name="va"/> is: all pages share the first level-0 table, after the root.</summary>
    private static uint PteAddress(uint va) => ((RootPage + 1) << 12) + (((va >> 12) & 0x3FF) * 4);

    /// <summary>
    /// One change of the page tables, as a kernel makes it: 0 toggles write permission on the data page, 1 moves it to
    /// the other frame, 2 toggles execute permission on the program's second page, 3 toggles write permission on its
    /// first (stores over the code then fault). The TLB is flushed when <paramref name="flush"/>.
    /// </summary>
    private static void ChangeMapping(TestMachine m, int change, bool flush)
    {
        uint va = change switch
        {
            0 or 1 => DataVa,
            2 => CodeVa + 0x1000,
            _ => CodeVa,
        };
        uint pte = m.Memory.Read32(PteAddress(va));
        uint page = Sv32.PageNumberOf(pte);
        uint flags = pte & 0x3FF & ~(Sv32.A | Sv32.D);
        if (change == 1)
        {
            page = page == DataPage ? OtherDataPage : DataPage;
        }
        else
        {
            flags ^= change == 2 ? Sv32.X : Sv32.W;
        }

        m.Memory.Write32(PteAddress(va), Sv32.Pte(page, flags));
        if (flush)
        {
            m.Hart.Mmu.FlushTlb();
        }
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
        Assert.True(step.Hart.BranchesTaken == fast.Hart.BranchesTaken, $"{where}: branches taken step {step.Hart.BranchesTaken}, fast {fast.Hart.BranchesTaken}");
        Assert.True(step.Hart.BranchesNotTaken == fast.Hart.BranchesNotTaken, $"{where}: branches not taken step {step.Hart.BranchesNotTaken}, fast {fast.Hart.BranchesNotTaken}");
        Assert.True(step.Memory.Bytes.SequenceEqual(fast.Memory.Bytes), $"{where}: memory");
        ReadOnlySpan<TlbEntry> stepTlb = step.Hart.Mmu.Tlb.Entries;
        ReadOnlySpan<TlbEntry> fastTlb = fast.Hart.Mmu.Tlb.Entries;
        for (int i = 0; i < stepTlb.Length; i++)
        {
            Assert.True(
                stepTlb[i].VirtualPage == fastTlb[i].VirtualPage && stepTlb[i].PhysicalBase == fastTlb[i].PhysicalBase && stepTlb[i].Allowed == fastTlb[i].Allowed,
                $"{where}: TLB entry {i}");
        }

        if (step.Hart.InstructionCache is { } stepI)
        {
            Assert.Equal(stepI.User, fast.Hart.InstructionCache!.User);
            Assert.Equal(step.Hart.DataCache!.User, fast.Hart.DataCache!.User);
            Assert.Equal(step.Hart.DataCache.Kernel, fast.Hart.DataCache.Kernel);
        }

        if (step.Hart.UserMisses is { } stepLog)
        {
            KeyValuePair<UserMissSite, MissCounts>[] stepped = Sorted(stepLog);
            Assert.True(stepped.SequenceEqual(Sorted(fast.Hart.UserMisses!)), $"{where}: user miss log");
            Assert.Equal(step.Hart.InstructionCache!.User.Misses, Total(stepped, instruction: true));
            Assert.Equal(step.Hart.DataCache!.User.Misses, Total(stepped, instruction: false));
        }

        static KeyValuePair<UserMissSite, MissCounts>[] Sorted(UserMissLog log) =>
            [.. log.Entries.OrderBy(e => e.Key.Owner).ThenBy(e => e.Key.Pc).ThenBy(e => e.Key.Instruction)];

        static ulong Total(KeyValuePair<UserMissSite, MissCounts>[] entries, bool instruction) =>
            entries.Where(e => e.Key.Instruction == instruction).Aggregate(0UL, (sum, e) => sum + e.Value.Total);
    }

    /// <summary>
    /// x1 = data base, x2 = code base, x16 and x17 = the pages that share TLB sets with code and data, x18 and x19 = the
    /// patches are never written; x3 to x15 are fair game.
    /// </summary>
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
            words[i] = random.Next(0, 35) switch
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
                18 => Bne(rs, rt, near == 0 ? 6 : near), // offset 6 (and 2 below): a taken branch to a misaligned target traps
                19 => Blt(rs, rt, near == 0 ? 2 : near),
                20 => Jal(random.Next(0, 2) == 0 ? 0 : rd, near == 0 ? 8 : near),
                21 => LrW(rd, 1),
                22 => ScW(rd, 1, rt),
                23 => AmoAddW(rd, 1, rt),
                24 => Ecall,
                25 => Jalr(random.Next(0, 2) == 0 ? 0 : rd, 2, random.Next(0, CodeWords) * 4), // into the middle of a block
                26 => random.Next(4) switch { 0 => Beq(rs, rt, near == 0 ? 4 : near), 1 => Bgeu(rs, rt, near == 0 ? 4 : near), 2 => Bltu(rs, rt, near == 0 ? 4 : near), _ => Bge(rs, rt, near == 0 ? 4 : near) },
                27 => random.Next(4) switch { 0 => Sub(rd, rs, rt), 1 => Srai(rd, rs, random.Next(0, 32)), 2 => Sltu(rd, rs, rt), _ => Sra(rd, rs, rt) },
                28 => random.Next(4) switch { 0 => Mulh(rd, rs, rt), 1 => Mulhu(rd, rs, rt), 2 => Rem(rd, rs, rt), _ => Div(rd, rs, rt) },
                29 => random.Next(3) switch { 0 => Lb(rd, 1, data + random.Next(0, 4)), 1 => Lhu(rd, 1, data + random.Next(0, 2)), _ => Fence },
                30 => Addi(0, rs, random.Next(-2048, 2048)), // writes x0
                31 => Lw(0, 1, data), // a load into x0 still accesses memory and may trap
                32 => Sw(rt, 1, data + 2048 - 4), // near the end of the data page
                33 => random.Next(4) switch
                {
                    0 => Lw(rd, 16 + random.Next(2), data), // a page in the TLB set of code or data
                    1 => Sw(rt, 16 + random.Next(2), data),
                    2 => Sw(18 + random.Next(2), 2, random.Next(0, CodeWords) * 4), // a patch the program will run
                    _ => Sw(18 + random.Next(2), 2, Math.Min(i + random.Next(1, 4), CodeWords - 1) * 4), // within this block
                },
                _ => Lw(rd, 1, random.Next(0, 64) * 4), // one hot line
            };
        }

        return words;
    }
}
