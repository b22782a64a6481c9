using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;

namespace Nanvix.Kernel.Sched;

/// <summary>
/// The cores of the cluster as the kernel uses them: the address space each one runs under (switched only when a
/// quantum runs another process), their TLBs, caches and engines, and what they counted.
/// </summary>
internal sealed class KernelCores
{
    private readonly Hart[] _harts;
    private readonly uint[] _activeRoot;

    public KernelCores(Hart[] harts)
    {
        _harts = harts;
        _activeRoot = new uint[harts.Length];
    }

    public int Count => _harts.Length;

    public Hart this[int core] => _harts[core];

    public Hart Master => _harts[ClusterKernel.MasterCore];

    /// <summary>The cores as the scheduler reads their clocks.</summary>
    public Hart[] All => _harts;

    /// <summary>Makes <paramref name="core"/> translate through the page table at <paramref name="root"/>, if it does not already.</summary>
    [KernelHotPath]
    public void Activate(int core, uint root)
    {
        if (_activeRoot[core] != root)
        {
            _harts[core].Mmu.UseSv32(root / KernelConstants.PageSize);
            _activeRoot[core] = root;
        }
    }

    /// <summary>The page table at <paramref name="root"/> is gone: no core may translate through it any longer.</summary>
    public void Release(uint root)
    {
        for (int c = 0; c < _harts.Length; c++)
        {
            if (_activeRoot[c] == root)
            {
                _harts[c].Mmu.UseBare();
                _activeRoot[c] = 0;
            }
        }
    }

    /// <summary>Drops every core's TLB: a page was unmapped and no core may keep using its old frame.</summary>
    public void FlushTlbs()
    {
        foreach (Hart hart in _harts)
        {
            hart.Mmu.FlushTlb();
        }
    }

    public void EnableCaches(CacheGeometry instruction, CacheGeometry data)
    {
        foreach (Hart hart in _harts)
        {
            hart.EnableCaches(instruction, data);
        }
    }

    public void UseEngine(HartEngine engine)
    {
        foreach (Hart hart in _harts)
        {
            hart.Engine = engine;
        }
    }

    /// <summary>Instructions retired by every core, and the latest core clock.</summary>
    public (ulong Instructions, ulong Cycles) Totals()
    {
        ulong instructions = 0;
        ulong cycles = 0;
        foreach (Hart hart in _harts)
        {
            instructions += hart.Retired;
            cycles = Math.Max(cycles, hart.Cycles);
        }

        return (instructions, cycles);
    }

    /// <summary>What a quantum observer sees of a core's caches: its I$ and D$ misses so far, user and kernel.</summary>
    public ulong Misses(int core)
    {
        Hart hart = _harts[core];
        return (hart.InstructionCache is { } i ? i.User.Misses + i.Kernel.Misses : 0) + (hart.DataCache is { } d ? d.User.Misses + d.Kernel.Misses : 0);
    }
}
