using Nanvix.Arch.Core;
using Nanvix.Arch.Mmu;
using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Mmu;

/// <summary>
/// Layout: 256 KB of memory; page tables from physical page 0x20; user code at virtual 0x10000 in physical page 0x5;
/// user data at virtual 0x40000000 in physical page 0x6.
/// </summary>
public sealed class Sv32MmuTests : IDisposable
{
    private const uint CodeVa = 0x10000;
    private const uint DataVa = 0x40000000;
    private const uint CodePage = 0x5;
    private const uint DataPage = 0x6;
    private const uint Rwu = Sv32.V | Sv32.R | Sv32.W | Sv32.U;
    private const uint Rxu = Sv32.V | Sv32.R | Sv32.X | Sv32.U;

    private readonly TestMachine _m = new(256 * 1024);
    private readonly PageTableBuilder _tables;

    public Sv32MmuTests()
    {
        _tables = new PageTableBuilder(_m.Memory, 0x20);
        _tables.Map(CodeVa, CodePage, Rxu);
        _m.Hart.Mmu.UseSv32(_tables.RootPage);
        _m[1] = DataVa;
    }

    public void Dispose() => _m.Dispose();

    [Fact]
    public void Bare_mode_uses_physical_addresses()
    {
        _m.Hart.Mmu.UseBare();
        _m.Memory.Write32(DataPage << 12, 1234);
        _m[1] = DataPage << 12;
        _m.RunToEcall(Lw(2, 1, 0));
        Assert.Equal(1234u, _m[2]);
    }

    [Fact]
    public void Sv32_translates_fetches_loads_and_stores()
    {
        _tables.Map(DataVa, DataPage, Rwu);
        _m.Memory.Write32((DataPage << 12) + 8, 77);
        RunResult result = RunAt(Lw(2, 1, 8), Addi(2, 2, 1), Sw(2, 1, 12), Ecall);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(CodeVa + 12, result.Pc);
        Assert.Equal(78u, _m.Memory.Read32((DataPage << 12) + 12));
    }

    [Fact]
    public void Unmapped_load_is_a_load_page_fault_with_tval_the_virtual_address()
    {
        RunResult result = RunAt(Lw(2, 1, 4));
        Assert.Equal(TrapCause.LoadPageFault, result.Cause);
        Assert.Equal(DataVa + 4, result.Tval);
        Assert.Equal(CodeVa, result.Pc);
    }

    [Fact]
    public void Unmapped_store_is_a_store_page_fault()
    {
        RunResult result = RunAt(Sw(2, 1, 0));
        Assert.Equal(TrapCause.StorePageFault, result.Cause);
        Assert.Equal(DataVa, result.Tval);
    }

    [Fact]
    public void Jump_to_an_unmapped_page_is_an_instruction_page_fault_at_the_target()
    {
        _m[5] = 0x7000_0000;
        RunResult result = RunAt(Jalr(0, 5, 0));
        Assert.Equal(TrapCause.InstructionPageFault, result.Cause);
        Assert.Equal(0x7000_0000u, result.Pc);
        Assert.Equal(0x7000_0000u, result.Tval);
    }

    [Fact]
    public void Store_to_a_read_only_page_is_a_store_page_fault()
    {
        _tables.Map(DataVa, DataPage, Sv32.V | Sv32.R | Sv32.U);
        RunResult result = RunAt(Lw(2, 1, 0), Sw(2, 1, 0));
        Assert.Equal(TrapCause.StorePageFault, result.Cause);
        Assert.Equal(CodeVa + 4, result.Pc);
    }

    [Fact]
    public void Load_from_an_execute_only_page_is_a_load_page_fault()
    {
        _tables.Map(DataVa, DataPage, Sv32.V | Sv32.X | Sv32.U);
        Assert.Equal(TrapCause.LoadPageFault, RunAt(Lw(2, 1, 0)).Cause);
    }

    [Fact]
    public void Fetch_from_a_page_without_x_is_an_instruction_page_fault()
    {
        _tables.Map(DataVa, DataPage, Rwu);
        _m[5] = DataVa;
        RunResult result = RunAt(Jalr(0, 5, 0));
        Assert.Equal(TrapCause.InstructionPageFault, result.Cause);
        Assert.Equal(DataVa, result.Tval);
    }

    [Fact]
    public void Supervisor_page_faults_every_user_access()
    {
        _tables.Map(DataVa, DataPage, Sv32.V | Sv32.R | Sv32.W | Sv32.X);
        Assert.Equal(TrapCause.LoadPageFault, RunAt(Lw(2, 1, 0)).Cause);
        Assert.Equal(TrapCause.StorePageFault, RunAt(Sw(2, 1, 0)).Cause);
        _m[5] = DataVa;
        Assert.Equal(TrapCause.InstructionPageFault, RunAt(Jalr(0, 5, 0)).Cause);
    }

    [Fact]
    public void Writable_but_not_readable_pte_is_reserved_and_faults()
    {
        _tables.Map(DataVa, DataPage, Sv32.V | Sv32.W | Sv32.U);
        Assert.Equal(TrapCause.StorePageFault, RunAt(Sw(2, 1, 0)).Cause);
    }

    [Fact]
    public void Amo_on_a_read_only_page_is_a_store_page_fault()
    {
        _tables.Map(DataVa, DataPage, Sv32.V | Sv32.R | Sv32.U);
        Assert.Equal(TrapCause.StorePageFault, RunAt(AmoAddW(2, 1, 0)).Cause);
    }

    [Fact]
    public void Load_sets_a_and_store_sets_d()
    {
        uint pte = _tables.Map(DataVa, DataPage, Rwu);
        RunAt(Lw(2, 1, 0), Ecall);
        Assert.Equal(Sv32.A, _m.Memory.Read32(pte) & (Sv32.A | Sv32.D));

        RunAt(Sw(2, 1, 0), Ecall);
        Assert.Equal(Sv32.A | Sv32.D, _m.Memory.Read32(pte) & (Sv32.A | Sv32.D));
    }

    [Fact]
    public void Fetch_sets_a_on_the_code_page()
    {
        uint pte = _tables.Map(CodeVa, CodePage, Rxu);
        RunAt(Ecall);
        Assert.Equal(Sv32.A, _m.Memory.Read32(pte) & (Sv32.A | Sv32.D));
    }

    [Fact]
    public void Pte_change_takes_effect_only_after_a_tlb_flush()
    {
        uint pte = _tables.Map(DataVa, DataPage, Rwu);
        Assert.Equal(TrapCause.EcallFromUser, RunAt(Sw(2, 1, 0), Ecall).Cause);

        _m.Memory.Write32(pte, Sv32.Pte(DataPage, Sv32.V | Sv32.R | Sv32.U));
        Assert.Equal(TrapCause.EcallFromUser, RunAt(Sw(2, 1, 0), Ecall).Cause); // stale TLB entry still allows it

        _m.Hart.Mmu.FlushTlb();
        Assert.Equal(TrapCause.StorePageFault, RunAt(Sw(2, 1, 0), Ecall).Cause);
    }

    [Fact]
    public void Remapping_after_a_flush_reads_the_new_frame()
    {
        uint pte = _tables.Map(DataVa, DataPage, Rwu);
        _m.Memory.Write32(DataPage << 12, 1);
        _m.Memory.Write32((DataPage + 1) << 12, 2);
        RunAt(Lw(2, 1, 0), Ecall);
        Assert.Equal(1u, _m[2]);

        _m.Memory.Write32(pte, Sv32.Pte(DataPage + 1, Rwu));
        _m.Hart.Mmu.FlushTlb();
        RunAt(Lw(2, 1, 0), Ecall);
        Assert.Equal(2u, _m[2]);
    }

    [Fact]
    public void Many_pages_survive_tlb_eviction()
    {
        // 160 pages, more than the TLB's 64 entries, map onto 2 frames alternately: the loop sums each page's first word.
        _m.Memory.Write32(0x7 << 12, 1);
        _m.Memory.Write32(0x8 << 12, 2);
        for (uint i = 0; i < 160; i++)
        {
            _tables.Map(DataVa + (i << 12), 0x7 + (i & 1), Rwu);
        }

        _m[3] = 160;
        RunResult result = RunAt(Lw(2, 1, 0), Add(4, 4, 2), Lui(5, 0x1000), Add(1, 1, 5), Addi(3, 3, -1), Bne(3, 0, -20), Ecall);
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(80u * 3, _m[4]);
    }

    [Fact]
    public void Frame_outside_physical_memory_is_an_access_fault()
    {
        _tables.Map(DataVa, 0x1000, Rwu);
        _tables.Map(DataVa + 0x1000, 0x1001, Rxu);
        Assert.Equal(TrapCause.LoadAccessFault, RunAt(Lw(2, 1, 0)).Cause);
        Assert.Equal(TrapCause.StoreAccessFault, RunAt(Sw(2, 1, 0)).Cause);
        _m[5] = DataVa + 0x1000;
        RunResult fetch = RunAt(Jalr(0, 5, 0));
        Assert.Equal(TrapCause.InstructionAccessFault, fetch.Cause);
        Assert.Equal(DataVa + 0x1000, fetch.Tval);
    }

    [Fact]
    public void Inaccessible_frame_is_an_access_fault()
    {
        _tables.Map(DataVa, DataPage, Rwu);
        _m.Memory.SetAccessible(DataPage, false);
        RunResult result = RunAt(Lw(2, 1, 0));
        Assert.Equal(TrapCause.LoadAccessFault, result.Cause);
        Assert.Equal(DataVa, result.Tval);
    }

    [Fact]
    public void Bare_access_beyond_memory_is_an_access_fault()
    {
        _m.Hart.Mmu.UseBare();
        _m[1] = 0x0010_0000;
        Assert.Equal(TrapCause.LoadAccessFault, _m.Run([Lw(2, 1, 0)]).Cause);
        Assert.Equal(TrapCause.StoreAccessFault, _m.Run([Sw(2, 1, 0)]).Cause);
    }

    [Fact]
    public void Root_table_outside_memory_is_an_access_fault()
    {
        _m.Hart.Mmu.UseSv32(0x1234);
        _m.Context.Pc = CodeVa;
        Assert.Equal(TrapCause.InstructionAccessFault, _m.Hart.Run(ref _m.Context, 10).Cause);
    }

    [Fact]
    public void Megapage_maps_four_megabytes_and_a_misaligned_one_faults()
    {
        _tables.MapMegapage(DataVa, 0, Rwu);
        _m.Memory.Write32((DataPage << 12) + 4, 55);
        _m[1] = DataVa + (DataPage << 12);
        RunAt(Lw(2, 1, 4), Ecall);
        Assert.Equal(55u, _m[2]);

        _tables.MapMegapage(DataVa, 1, Rwu);
        _m.Hart.Mmu.FlushTlb();
        Assert.Equal(TrapCause.LoadPageFault, RunAt(Lw(2, 1, 4)).Cause);
    }

    [Fact]
    public void Try_translate_gives_the_physical_address()
    {
        _tables.Map(DataVa, DataPage, Rwu);
        Assert.True(_m.Hart.Mmu.TryTranslate(DataVa + 0x123, AccessType.Read, out uint physical));
        Assert.Equal((DataPage << 12) + 0x123, physical);
        Assert.False(_m.Hart.Mmu.TryTranslate(DataVa + 0x1000, AccessType.Read, out _));
    }

    private RunResult RunAt(params uint[] code)
    {
        _m.Load(CodePage << 12, code);
        _m.Context.Pc = CodeVa;
        return _m.Hart.Run(ref _m.Context, 10_000);
    }
}
