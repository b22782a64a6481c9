using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;

namespace Nanvix.Hal.Processor;

/// <summary>A core of a cluster over the RISC-V interpreter (<see cref="Hart"/>), with the cluster's cycle costs.</summary>
internal sealed class Core : ICore
{
    private readonly Hart _hart;

    /// <summary>The root page the MMU translates through, 0 when bare.</summary>
    private uint _activeRoot;

    public Core(int id, ICluster cluster, MemoryBus bus, CycleCosts costs)
    {
        Id = id;
        Cluster = cluster;
        _hart = new Hart(bus, costs);
    }

    public int Id { get; }

    public ICluster Cluster { get; }

    public bool IsMaster => Id == Machine.ClusterSpec.MasterCore;

    public ulong Cycles
    {
        get => _hart.Cycles;
        set => _hart.Cycles = value;
    }

    public ulong Retired => _hart.Retired;

    public ulong UserBranchesTaken => _hart.BranchesTaken;

    public ulong UserBranchesNotTaken => _hart.BranchesNotTaken;

    public HartEngine Engine
    {
        get => _hart.Engine;
        set => _hart.Engine = value;
    }

    public CacheModel? InstructionCache => _hart.InstructionCache;

    public CacheModel? DataCache => _hart.DataCache;

    public UserMissLog? UserMisses
    {
        get => _hart.UserMisses;
        set => _hart.UserMisses = value;
    }

    public void AddCycles(ulong cycles) => _hart.AddCycles(cycles);

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data) => _hart.EnableCaches(instruction, data);

    [KernelHotPath]
    public void AccountKernelAccess(uint physicalAddress, bool isWrite) => _hart.AccountKernelAccess(physicalAddress, isWrite);

    public void AccountKernelFetch(uint physicalAddress) => _hart.AccountKernelFetch(physicalAddress);

    [KernelHotPath]
    public RunResult RunQuantum(ref RegisterContext context, ulong maxInstructions)
    {
        _hart.ClearReservation();
        return _hart.Run(ref context, maxInstructions);
    }

    [KernelHotPath]
    public void UseAddressSpace(uint rootPage)
    {
        if (_activeRoot != rootPage)
        {
            _hart.Mmu.UseSv32(rootPage);
            _activeRoot = rootPage;
        }
    }

    public void ReleaseAddressSpace(uint rootPage)
    {
        if (_activeRoot == rootPage)
        {
            _hart.Mmu.UseBare();
            _activeRoot = 0;
        }
    }

    public void FlushTlb() => _hart.Mmu.FlushTlb();

    public override string ToString() => $"{Cluster.Name}.core{Id}";
}
