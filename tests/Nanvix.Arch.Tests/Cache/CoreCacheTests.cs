using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Tests.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Cache;

public sealed class CoreCacheTests
{
    [Fact]
    public void User_loop_counts_fetches_and_data_accesses_in_the_core_caches()
    {
        using TestMachine m = new();
        m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        m[1] = TestMachine.DataBase;
        m[3] = 10;

        // 10 iterations of: lw, addi, addi, bne -> 40 fetches + 10 loads of one word.
        m.RunToEcall(Lw(2, 1, 0), Addi(3, 3, -1), Addi(4, 4, 1), Bne(3, 0, -12));

        CacheStatistics fetches = m.Hart.InstructionCache!.User;
        Assert.Equal(41ul, fetches.Accesses);
        Assert.Equal(1ul, fetches.CompulsoryMisses);
        CacheStatistics data = m.Hart.DataCache!.User;
        Assert.Equal((10ul, 9ul, 1ul), (data.Accesses, data.Hits, data.CompulsoryMisses));
        Assert.Equal(0ul, m.Hart.DataCache.Kernel.Accesses);
    }

    [Fact]
    public void Kernel_accesses_are_counted_as_kernel_and_cost_the_miss_penalty()
    {
        using TestMachine m = new();
        m.Hart.AccountKernelAccess(0x100, false);
        Assert.Equal(0ul, m.Hart.Cycles); // caches off: free

        m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        m.Hart.AccountKernelAccess(0x100, false);
        m.Hart.AccountKernelAccess(0x104, false);
        Assert.Equal(CycleCosts.Mppa256.CacheMissPenalty, m.Hart.Cycles);
        Assert.Equal((2ul, 1ul), (m.Hart.DataCache!.Kernel.Accesses, m.Hart.DataCache.Kernel.Hits));
        Assert.Equal(0ul, m.Hart.DataCache.User.Accesses);
    }

    [Fact]
    public void Disabling_caches_removes_the_models()
    {
        using TestMachine m = new();
        m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        m.Hart.DisableCaches();
        Assert.Null(m.Hart.InstructionCache);
        Assert.Null(m.Hart.DataCache);
        m.RunToEcall(Nop);
        Assert.Equal(1ul, m.Hart.Cycles);
    }
}
