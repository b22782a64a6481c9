using System.Runtime.CompilerServices;
using Nanvix.Arch.Cache;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;

namespace Nanvix.Kernel.Mm;

/// <summary>
/// The kernel's data accesses to its cluster's memory, as the D$ of the core serving the kernel sees them. Every
/// kernel structure reads and writes cluster memory through here (<see cref="At{T}"/>, <see cref="Read{T}"/>,
/// <see cref="Write{T}"/>, <see cref="Load"/>, <see cref="Store"/>), so that with the cache model on each line an access
/// touches is counted in the serving core's D$, miss penalty included, and by <see cref="KernelStructure"/>. An update
/// in place is a read of each line followed by a store to it; under the k1b's write-through, no-allocate D$ a store
/// to a line that is not resident is a write around: no fill, no stall (the write buffer takes it;
/// <c>Arch/Cache/CacheModel</c>). With the cache model
/// off, or with no core serving (boot, a host-side spawn), nothing is counted and nothing costs.
/// </summary>
[KernelHotPath]
public sealed class KernelMemory
{
    private const int Structures = KernelStructures.Count;

    private Counts _counts;
    private PathTable _paths;
    private CoreBranches _branchesByCore;
    private ICore? _serving;
    private CacheModel? _servingData;
    private CacheModel? _servingCode;

    public KernelMemory(ClusterMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        Memory = memory;
        MemoryRegion image = memory.Map[MemoryRegionNames.KernelImage];
        if ((ulong)KernelText.Size > image.Size)
        {
            throw new ArgumentException($"{memory.Owner}: the kernel text ({KernelText.Size} bytes) does not fit its kernel image region ({image.Size} bytes)", nameof(memory));
        }

        TextBase = image.Base;
    }

    /// <summary>Where the kernel text (<see cref="KernelText"/>) starts: the start of the kernel-image region.</summary>
    public ulong TextBase { get; }

    /// <summary>The cluster's memory, for what is no kernel data access (a DMA-like NoC transfer, a host-side load).</summary>
    public ClusterMemory Memory { get; }

    /// <summary>
    /// The core on whose D$ and I$ kernel accesses are counted; null counts nothing. Its caches are read when it is
    /// set (a core's caches are switched on at boot, before the kernel serves on it), so that with the cache model off
    /// a kernel access costs one null check.
    /// </summary>
    public ICore? Serving
    {
        get => _serving;
        set
        {
            _serving = value;
            _servingData = value?.DataCache;
            _servingCode = value?.InstructionCache;
        }
    }

    /// <summary>Where every kernel D$ miss is recorded by address and structure (<c>--annotate</c>); null records nothing.</summary>
    public KernelMissMap? Misses { get; set; }

    /// <summary>A reference to the <typeparamref name="T"/> at <paramref name="address"/>, counted as a read (and a store when <paramref name="write"/>).</summary>
    public ref T At<T>(ulong address, KernelStructure structure, bool write = false)
        where T : unmanaged
    {
        Account(address, (ulong)Unsafe.SizeOf<T>(), write ? Use.Update : Use.Load, structure);
        return ref Memory.At<T>(address);
    }

    public T Read<T>(ulong address, KernelStructure structure)
        where T : unmanaged
    {
        Account(address, (ulong)Unsafe.SizeOf<T>(), Use.Load, structure);
        return Memory.Read<T>(address);
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="address"/> without reading it first.</summary>
    public void Write<T>(ulong address, T value, KernelStructure structure)
        where T : unmanaged
    {
        Account(address, (ulong)Unsafe.SizeOf<T>(), Use.Store, structure);
        Memory.Write(address, value);
    }

    /// <summary>Counts a read of <paramref name="size"/> bytes at <paramref name="address"/> (the caller reads them itself).</summary>
    public void Load(ulong address, int size, KernelStructure structure) => Account(address, (ulong)size, Use.Load, structure);

    /// <summary>Counts a store of <paramref name="size"/> bytes at <paramref name="address"/> (the caller writes them itself).</summary>
    public void Store(ulong address, int size, KernelStructure structure) => Account(address, (ulong)size, Use.Store, structure);

    /// <summary>Counts an update in place (read, then store) of <paramref name="size"/> bytes at <paramref name="address"/>.</summary>
    public void Update(ulong address, int size, KernelStructure structure) => Account(address, (ulong)size, Use.Update, structure);

    /// <summary>Zeroes <paramref name="size"/> bytes at <paramref name="address"/>, counted as stores.</summary>
    public void Clear(ulong address, int size, KernelStructure structure)
    {
        Account(address, (ulong)size, Use.Store, structure);
        Memory.Bytes(address, size).Clear();
    }

    /// <summary>
    /// The D$ counts of the kernel's accesses to <paramref name="structure"/> so far, on any core of the cluster: their
    /// sum over every structure is the sum of the cores' kernel D$ counts.
    /// </summary>
    public CacheStatistics Of(KernelStructure structure) => _counts[(int)structure];

    /// <summary>
    /// Runs kernel path <paramref name="path"/> on the serving core: counts its instructions and branches and, with the
    /// cache model on, fetches every line of its routines through that core's I$ (kernel accesses, miss penalty included).
    /// </summary>
    public void Execute(KernelPath path)
    {
        ref PathCounts counts = ref _paths[(int)path];
        counts.Executions++;
        ulong branches = (ulong)KernelText.BranchesOf(path);
        counts.Instructions += (ulong)KernelText.InstructionsOf(path);
        counts.Branches += branches;
        if (_serving is { Id: >= 0 and < KernelConstants.MaxCores } serving)
        {
            _branchesByCore[serving.Id] += branches;
        }

        if (_servingCode is not { } cache || _serving is not { } core)
        {
            return;
        }

        CacheStatistics before = cache.Kernel;
        ulong lineBytes = (ulong)cache.Geometry.LineBytes;
        foreach (KernelRoutine routine in KernelText.RoutinesOf(path))
        {
            ulong start = TextBase + (ulong)KernelText.Offset(routine);
            ulong end = start + (ulong)KernelText.Info(routine).Bytes;
            for (ulong line = start & ~(lineBytes - 1); line < end; line += lineBytes)
            {
                core.AccountKernelFetch((uint)line);
            }
        }

        Add(ref counts.Fetches, before, cache.Kernel);
    }

    /// <summary>The conditional branches of the kernel paths core <paramref name="core"/> ran (the text map's static counts; not split into taken and not taken).</summary>
    public ulong KernelBranches(int core) => (uint)core < KernelConstants.MaxCores ? _branchesByCore[core] : 0;

    /// <summary>What the kernel ran of <paramref name="path"/> so far on this cluster: executions, instructions, branches and its I$ counts.</summary>
    public KernelPathCounts Of(KernelPath path) => new(_paths[(int)path].Executions, _paths[(int)path].Instructions, _paths[(int)path].Branches, _paths[(int)path].Fetches);

    private static void Access(ICore core, CacheModel cache, KernelMissMap? map, uint line, uint first, bool isWrite, KernelStructure structure)
    {
        if (map is null)
        {
            core.AccountKernelAccess(line, isWrite);
            return;
        }

        CacheStatistics was = cache.Kernel;
        core.AccountKernelAccess(line, isWrite);
        map.Record(first, structure, was, cache.Kernel);
    }

    private static void Add(ref CacheStatistics counts, CacheStatistics before, CacheStatistics after)
    {
        counts.Accesses += after.Accesses - before.Accesses;
        counts.Hits += after.Hits - before.Hits;
        counts.CompulsoryMisses += after.CompulsoryMisses - before.CompulsoryMisses;
        counts.CapacityMisses += after.CapacityMisses - before.CapacityMisses;
        counts.ConflictMisses += after.ConflictMisses - before.ConflictMisses;
        counts.Writebacks += after.Writebacks - before.Writebacks;
        counts.WritesAround += after.WritesAround - before.WritesAround;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Account(ulong address, ulong size, Use use, KernelStructure structure)
    {
        if (_servingData is { } cache && size != 0)
        {
            AccountLines(_serving!, cache, address, size, use, structure);
        }
    }

    private void AccountLines(ICore core, CacheModel cache, ulong address, ulong size, Use use, KernelStructure structure)
    {
        CacheStatistics before = cache.Kernel;
        ulong lineBytes = (ulong)cache.Geometry.LineBytes;
        ulong end = address + size;
        KernelMissMap? map = Misses;
        for (ulong line = address & ~(lineBytes - 1); line < end; line += lineBytes)
        {
            uint first = (uint)Math.Max(line, address);
            if (use != Use.Store)
            {
                Access(core, cache, map, (uint)line, first, isWrite: false, structure);
            }

            if (use != Use.Load)
            {
                Access(core, cache, map, (uint)line, first, isWrite: true, structure);
            }
        }

        Add(ref _counts[(int)structure], before, cache.Kernel);
    }

    [InlineArray(Structures)]
    private struct Counts
    {
        private CacheStatistics _first;
    }

    private struct PathCounts
    {
        public ulong Executions;
        public ulong Instructions;
        public ulong Branches;
        public CacheStatistics Fetches;
    }

    [InlineArray(KernelConstants.MaxCores)]
    private struct CoreBranches
    {
        private ulong _first;
    }

    [InlineArray(KernelText.PathCount)]
    private struct PathTable
    {
        private PathCounts _first;
    }

    private enum Use : byte
    {
        Load,
        Store,
        Update,
    }
}
