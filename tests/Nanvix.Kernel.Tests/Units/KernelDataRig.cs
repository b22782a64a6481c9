using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel.Tests.Units;

/// <summary>
/// The memory of one MPPA-256 compute cluster (a pinned buffer with the compute cluster's memory map) and the kernel
/// data laid out in it as the kernel lays it out at boot: the frame bitmap at the start of kernel data, the kernel-page
/// bitmap, the process table, then the per-process state of a layout, each on its own cache line. No kernel, no cores,
/// no NoC: a unit test builds the one part it tests over this memory.
/// </summary>
internal sealed class KernelDataRig : IDisposable
{
    /// <summary>Line of the kernel's D$, which every table of kernel data starts on.</summary>
    public const int CacheLine = 64;

    public KernelDataRig()
    {
        Memory = new ClusterMemory("CC0", Mppa256.ComputeMemoryMap());
        Kernel = new KernelMemory(Memory);
        KernelData = Memory.Map[MemoryRegionNames.KernelData];
        FramesBitmap = KernelData.Base;
        Frames = new PageAllocator(Kernel, Memory.Map[MemoryRegionNames.User], FramesBitmap);
        KernelPagesBitmap = AlignUp(FramesBitmap + (ulong)PageAllocator.BitmapBytes(Frames.PageCount));
        KernelPages = new PageAllocator(Kernel, Memory.Map[MemoryRegionNames.KernelPool], KernelPagesBitmap);
        ulong table = AlignUp(KernelPagesBitmap + (ulong)PageAllocator.BitmapBytes(KernelPages.PageCount));
        Processes = new ProcessTable(Kernel, table);
        StateStart = AlignUp(table + (ulong)ProcessTable.Size);
    }

    public ClusterMemory Memory { get; }

    /// <summary>The kernel's counted access to <see cref="Memory"/> (no core serving: nothing counted).</summary>
    public KernelMemory Kernel { get; }

    public MemoryRegion KernelData { get; }

    /// <summary>Where the bitmap of the user frames lives: the first bytes of kernel data.</summary>
    public ulong FramesBitmap { get; }

    /// <summary>Where the bitmap of the kernel pool's pages lives: the next cache line after the frames'.</summary>
    public ulong KernelPagesBitmap { get; }

    public PageAllocator Frames { get; }

    public PageAllocator KernelPages { get; }

    public ProcessTable Processes { get; }

    /// <summary>First byte of the per-process state (the layout's plan starts here).</summary>
    public ulong StateStart { get; }

    /// <summary>The plan of layout <typeparamref name="TLayout"/> for every process a cluster holds, from <see cref="StateStart"/>.</summary>
    public KernelDataPlan Plan<TLayout>()
        where TLayout : struct, IProcessLayout => TLayout.Plan(StateStart, KernelConstants.MaxProcesses);

    /// <summary>The kernel's access to per-process state under <typeparamref name="TLayout"/> (no D$ counted).</summary>
    public KernelState<TLayout> State<TLayout>()
        where TLayout : struct, IProcessLayout => new(Kernel, Plan<TLayout>());

    /// <summary>
    /// <paramref name="count"/> cores (core 0 the master), their clocks at 0: what the scheduler reads of a core is its
    /// clock, so these cores have nothing else (they run no code).
    /// </summary>
    public ICore[] Cores(int count)
    {
        var cores = new ICore[count];
        for (int i = 0; i < count; i++)
        {
            cores[i] = new ClockCore(i);
        }

        return cores;
    }

    /// <summary>Fills <paramref name="length"/> bytes of kernel memory at <paramref name="address"/> with <paramref name="value"/> (dirt a structure must clear, or must not touch).</summary>
    public void Fill(ulong address, int length, byte value) => Memory.Bytes(address, length).Fill(value);

    public static ulong AlignUp(ulong value) => (value + CacheLine - 1) & ~(ulong)(CacheLine - 1);

    public void Dispose() => Memory.Dispose();
}

/// <summary>A core that is only a clock, for the parts of the kernel that read core clocks and nothing else.</summary>
internal sealed class ClockCore(int id) : ICore
{
    public int Id { get; } = id;

    public ICluster Cluster => throw new NotSupportedException("a clock-only core belongs to no cluster");

    public bool IsMaster => Id == 0;

    public ulong Cycles { get; set; }

    public ulong Retired => 0;

    public ulong UserBranchesTaken => 0;

    public ulong UserBranchesNotTaken => 0;

    public HartEngine Engine { get; set; }

    public CacheModel? InstructionCache => null;

    public CacheModel? DataCache => null;

    public UserMissLog? UserMisses
    {
        get => null;
        set => throw new NotSupportedException("a clock-only core runs no user code to log misses of");
    }

    public void AddCycles(ulong cycles) => Cycles += cycles;

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data) => throw new NotSupportedException("a clock-only core has no caches");

    public void AccountKernelAccess(uint physicalAddress, bool isWrite)
    {
    }

    public void AccountKernelFetch(uint physicalAddress)
    {
    }

    public RunResult RunQuantum(ref RegisterContext context, ulong maxInstructions) => throw new NotSupportedException("a clock-only core runs no code");

    public void UseAddressSpace(uint rootPage) => throw new NotSupportedException("a clock-only core has no MMU");

    public void ReleaseAddressSpace(uint rootPage) => throw new NotSupportedException("a clock-only core has no MMU");

    public void FlushTlb() => throw new NotSupportedException("a clock-only core has no MMU");
}
