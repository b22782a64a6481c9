using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using static Nanvix.Arch.Tests.Isa.Rv32;

namespace Nanvix.Arch.Tests.Core;

public sealed class AllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_warm_code_allocates_nothing(bool caches)
    {
        using TestMachine m = new();
        if (caches)
        {
            m.Hart.EnableCaches(CacheGeometry.Mppa256, CacheGeometry.Mppa256);
        }

        // A loop with loads, stores, an AMO, LR/SC and a multiply: 1000 iterations.
        uint[] loop = [Lw(5, 4, 0), Addi(5, 5, 1), Sw(5, 4, 4), AmoAddW(6, 4, 5), LrW(7, 4), ScW(8, 4, 5), Mul(9, 5, 5), Addi(1, 1, -1), Bne(1, 0, -32)];
        m[4] = TestMachine.DataBase;
        m[1] = 10;
        m.RunToEcall(loop); // warm: predecodes the page

        m[1] = 1000;
        m.Context.Pc = TestMachine.CodeBase;
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunResult result = m.Hart.Run(ref m.Context, 1_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(TrapCause.EcallFromUser, result.Cause);
        Assert.Equal(0, allocated);
    }
}
