using System.Runtime.CompilerServices;
using Nanvix.Arch.Cache;
using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Calls;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;

namespace Nanvix.Kernel;

/// <summary>
/// The microkernel of one cluster. At boot it lays its state out in the cluster's kernel-data region (the frame
/// and kernel-page bitmaps, the process table) and makes one core model per core; it then loads programs into the
/// cluster's user frames and runs them. Every piece of process state it keeps lives in cluster memory: the
/// process records, the page tables, the saved register contexts (at the top of each thread's kernel stack page).
/// </summary>
public sealed class ClusterKernel
{
    /// <summary>The core that runs user threads; core 0 is the master and serves the kernel (Nanvix's affinity).</summary>
    public const int UserCore = 1;

    private const int CacheLine = 64;

    private readonly ClusterMemory _memory;
    private readonly Hart[] _harts;
    private readonly AddressSpace?[] _spaces = new AddressSpace?[KernelConstants.MaxProcesses];
    private readonly ulong _processTable;
    private readonly KernelCalls _calls;
    private readonly List<ProcessExit> _exits = [];
    private uint _activeRoot;
    private int _nextPid;

    public ClusterKernel(ICluster cluster, long frequencyHz, IConsole console, int firstPid = KernelConstants.FirstPid)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(console);
        if (cluster.Cores.Count <= UserCore)
        {
            throw new ArgumentException($"{cluster.Name} has {cluster.Cores.Count} core(s); the kernel needs a master core and a user core");
        }

        Cluster = cluster;
        FrequencyHz = frequencyHz;
        Console = console;
        _memory = cluster.Memory;
        _nextPid = firstPid;

        // Boot-time layout of kernel data: the two page bitmaps, then the process table, each on its own cache line.
        MemoryRegion data = _memory.Map[MemoryRegionNames.KernelData];
        MemoryRegion user = _memory.Map[MemoryRegionNames.User];
        MemoryRegion pool = _memory.Map[MemoryRegionNames.KernelPool];
        ulong cursor = data.Base;
        Frames = new PageAllocator(_memory, user, cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(Frames.PageCount), CacheLine);
        KernelPages = new PageAllocator(_memory, pool, cursor);
        cursor = AlignUp(cursor + (ulong)PageAllocator.BitmapBytes(KernelPages.PageCount), CacheLine);
        _processTable = cursor;
        unsafe
        {
            _memory.Bytes(_processTable, sizeof(ProcessRecord) * KernelConstants.MaxProcesses).Clear();
        }

        var bus = new MemoryBus(_memory);
        _harts = new Hart[cluster.Cores.Count];
        for (int i = 0; i < _harts.Length; i++)
        {
            _harts[i] = new Hart(bus);
        }

        Bus = bus;
        _calls = new KernelCalls(this);
    }

    public ICluster Cluster { get; }

    public long FrequencyHz { get; }

    public IConsole Console { get; }

    public PageAllocator Frames { get; }

    public PageAllocator KernelPages { get; }

    public MemoryBus Bus { get; }

    /// <summary>Switches the modeled I$ and D$ on for every core of the cluster; from then on misses cost cycles.</summary>
    public void EnableCaches(CacheGeometry instruction, CacheGeometry data)
    {
        foreach (Hart hart in _harts)
        {
            hart.EnableCaches(instruction, data);
        }
    }

    /// <summary>The core model of core <paramref name="core"/>.</summary>
    public Hart Core(int core) => _harts[core];

    /// <summary>Processes that ended, in the order they ended.</summary>
    public IReadOnlyList<ProcessExit> Exits => _exits;

    /// <summary>Instructions and cycles of the user core, and kernel calls served.</summary>
    public KernelStatistics Statistics => new(_harts[UserCore].Retired, _harts[UserCore].Cycles, _calls.Served);

    /// <summary>True while some process has not ended.</summary>
    public bool HasLiveProcesses
    {
        get
        {
            for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
            {
                if (Record(slot).State == ProcessState.Ready)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Loads <paramref name="image"/> as a new process with <paramref name="arguments"/> as its argv, ready to run.
    /// Returns its pid.
    /// </summary>
    /// <exception cref="KernelException">No free process slot, or not enough memory; the cluster is left as it was.</exception>
    public int Spawn(ElfImage image, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(arguments);
        int slot = FreeSlot();
        int freeFrames = Frames.FreeCount;
        AddressSpace space = AddressSpace.Create(_memory, KernelPages, Frames)
            ?? throw new KernelException($"{Cluster.Name}: no kernel page left for a page table");
        var user = new UserAccess(_memory, space, Bus);
        if (!ProgramLoader.LoadSegments(image, space, user) || !ProgramLoader.MapStack(space) || !KernelPages.TryAllocate(out uint kernelStack))
        {
            space.Destroy();
            throw new KernelException(
                $"{Cluster.Name}: not enough memory for the program: it needs {(image.MemorySpan + KernelConstants.MainStackBytes) / 1024} KB of user memory and {freeFrames * KernelConstants.PageSize / 1024} KB are free");
        }

        uint sp;
        try
        {
            sp = ProgramLoader.BuildInitialStack(user, arguments);
        }
        catch
        {
            space.Destroy();
            KernelPages.Free(kernelStack);
            throw;
        }

        ref ProcessRecord process = ref Record(slot);
        process = default;
        process.Pid = _nextPid++;
        process.State = ProcessState.Ready;
        process.RootTable = space.Root;
        process.KernelStack = kernelStack;
        process.Entry = image.Entry;
        process.ImageStart = image.Segments[0].VirtualAddress;
        process.ImageEnd = (uint)image.End;
        process.BrkStart = (uint)AlignUp(image.End, KernelConstants.PageSize);
        process.Brk = process.BrkStart;
        process.StackTop = KernelConstants.UserStackTop;
        process.StackBottom = KernelConstants.UserStackTop - KernelConstants.MainStackBytes;
        _spaces[slot] = space;

        ref RegisterContext context = ref Context(slot);
        context = default;
        context.Pc = image.Entry;
        context.Set(AbiRegister.Sp, sp);
        return process.Pid;
    }

    /// <summary>Runs every live process, round-robin by quantum on the user core, until all have ended.</summary>
    public IReadOnlyList<ProcessExit> RunToCompletion()
    {
        while (HasLiveProcesses)
        {
            for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
            {
                if (Record(slot).State == ProcessState.Ready)
                {
                    RunQuantum(slot);
                }
            }
        }

        return _exits;
    }

    /// <summary>Runs process slot <paramref name="slot"/> for one quantum on the user core and serves the trap that ends it.</summary>
    public void RunQuantum(int slot)
    {
        Hart hart = _harts[UserCore];
        ref ProcessRecord process = ref Record(slot);
        if (_activeRoot != process.RootTable)
        {
            hart.Mmu.UseSv32(process.RootTable / KernelConstants.PageSize);
            hart.ClearReservation();
            _activeRoot = process.RootTable;
        }

        ref RegisterContext context = ref Context(slot);
        RunResult result = hart.Run(ref context, KernelConstants.QuantumInstructions);
        if (!result.IsTrap)
        {
            return;
        }

        hart.AddCycles(KernelConstants.TrapCycles);
        if (result.Cause == TrapCause.EcallFromUser)
        {
            _calls.Serve(slot, ref process, ref context, hart);
        }
        else
        {
            Kill(slot, result);
        }
    }

    internal ref ProcessRecord Record(int slot) => ref _memory.At<ProcessRecord>(_processTable + (ulong)(slot * Unsafe.SizeOf<ProcessRecord>()));

    internal ref RegisterContext Context(int slot) =>
        ref _memory.At<RegisterContext>(Record(slot).KernelStack + KernelConstants.PageSize - RegisterContext.Size);

    internal AddressSpace Space(int slot) => _spaces[slot] ?? throw new InvalidOperationException($"{Cluster.Name}: kernel bug: process slot {slot} has no address space");

    internal UserAccess User(int slot) => new(_memory, Space(slot), Bus);

    /// <summary>Ends process <paramref name="slot"/> with <paramref name="status"/>, freeing everything it held.</summary>
    internal void Terminate(int slot, int status, string? diagnostic)
    {
        ref ProcessRecord process = ref Record(slot);
        Space(slot).Destroy();
        KernelPages.Free(process.KernelStack);
        _spaces[slot] = null;
        if (_activeRoot == process.RootTable)
        {
            _harts[UserCore].Mmu.UseBare();
            _activeRoot = 0;
        }

        process.State = ProcessState.Exited;
        process.ExitStatus = status;
        _exits.Add(new ProcessExit(process.Pid, status, diagnostic));
        process.State = ProcessState.Free;
    }

    private void Kill(int slot, RunResult trap)
    {
        ref ProcessRecord process = ref Record(slot);
        string what = FaultReport.Describe(trap.Cause);
        uint guardBottom = process.StackBottom - (KernelConstants.GuardPages * KernelConstants.PageSize);
        if (trap.Cause is TrapCause.LoadPageFault or TrapCause.StorePageFault && trap.Tval >= guardBottom && trap.Tval < process.StackBottom)
        {
            what = "stack overflow into the guard page";
        }

        string address = trap.Cause == TrapCause.IllegalInstruction ? $"instruction=0x{trap.Tval:x8}" : $"address=0x{trap.Tval:x8}";
        string diagnostic =
            $"{Cluster.Name}: process {process.Pid} killed: {what} at pc=0x{trap.Pc:x8} {address} (core {UserCore}, cycle {_harts[UserCore].Cycles})";
        Terminate(slot, FaultReport.ExitStatus(trap.Cause), diagnostic);
    }

    private int FreeSlot()
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (Record(slot).State == ProcessState.Free)
            {
                return slot;
            }
        }

        throw new KernelException($"{Cluster.Name}: all {KernelConstants.MaxProcesses} process slots are taken");
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
