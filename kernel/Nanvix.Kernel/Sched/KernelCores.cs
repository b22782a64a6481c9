using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Processor;

namespace Nanvix.Kernel.Sched;

/// <summary>
/// The HAL's cores of the cluster as the kernel uses them together: the address space a quantum runs under, a table
/// gone from every core, every TLB flushed, the caches and engines of all, and what they counted.
/// </summary>
internal sealed class KernelCores
{
    private readonly ICore[] _cores;

    public KernelCores(IReadOnlyList<ICore> cores) => _cores = [.. cores];

    public int Count => _cores.Length;

    public ICore this[int core] => _cores[core];

    public ICore Master => _cores[ClusterSpec.MasterCore];

    /// <summary>The cores, for the scheduler to read their clocks.</summary>
    public ICore[] All => _cores;

    /// <summary>Makes <paramref name="core"/> translate through the page table at <paramref name="root"/> (no change when it already does).</summary>
    [KernelHotPath]
    public void Activate(int core, uint root) => _cores[core].UseAddressSpace(root / KernelConstants.PageSize);

    /// <summary>The page table at <paramref name="root"/> is gone: no core may translate through it any longer.</summary>
    public void Release(uint root)
    {
        foreach (ICore core in _cores)
        {
            core.ReleaseAddressSpace(root / KernelConstants.PageSize);
        }
    }

    /// <summary>Drops every core's TLB: a page was unmapped and no core may keep using its old frame.</summary>
    public void FlushTlbs()
    {
        foreach (ICore core in _cores)
        {
            core.FlushTlb();
        }
    }

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data)
    {
        foreach (ICore core in _cores)
        {
            core.EnableCaches(instruction, data);
        }
    }

    /// <summary>Gives every core <paramref name="log"/> to log its user misses in (null: none).</summary>
    public void LogUserMisses(UserMissLog? log)
    {
        foreach (ICore core in _cores)
        {
            core.UserMisses = log;
        }
    }

    public void UseEngine(HartEngine engine)
    {
        foreach (ICore core in _cores)
        {
            core.Engine = engine;
        }
    }

    /// <summary>Instructions retired by every core, and the latest core clock.</summary>
    public (ulong Instructions, ulong Cycles) Totals()
    {
        ulong instructions = 0;
        ulong cycles = 0;
        foreach (ICore core in _cores)
        {
            instructions += core.Retired;
            cycles = Math.Max(cycles, core.Cycles);
        }

        return (instructions, cycles);
    }

    /// <summary>What a quantum observer sees of a core's caches: its I$ and D$ misses so far, user and kernel.</summary>
    public ulong Misses(int core)
    {
        ICore c = _cores[core];
        return (c.InstructionCache is { } i ? i.User.Misses + i.Kernel.Misses : 0) + (c.DataCache is { } d ? d.User.Misses + d.Kernel.Misses : 0);
    }
}
