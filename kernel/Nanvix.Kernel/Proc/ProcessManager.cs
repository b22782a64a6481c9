using Nanvix.Arch.Core;
using Nanvix.Arch.Elf;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Processor;
using Nanvix.Hal.Time;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Proc;

/// <summary>
/// The life of processes on a cluster: loading a program into a new process, the address space of each slot, ending a
/// process (its threads, pages and descriptors freed) and killing one that faulted, with the exits collected in order.
/// Nanvix: <c>process_create</c> / <c>process_exit</c> of the process manager.
/// </summary>
internal sealed class ProcessManager<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly string _cluster;
    private readonly ClusterMemory _memory;
    private readonly ProcessTable _processes;
    private readonly KernelState<TLayout> _state;
    private readonly ThreadManager<TLayout> _threads;
    private readonly Scheduler<TLayout> _scheduler;
    private readonly KernelCores _cores;
    private readonly PageAllocator _frames;
    private readonly PageAllocator _kernelPages;
    private readonly ProcessIds _pids;
    private readonly EventScheduler? _events;
    private readonly ICluster _hardware;
    private readonly AddressSpace?[] _spaces = new AddressSpace?[KernelConstants.MaxProcesses];
    private readonly List<ProcessExit> _exits = [];

    public ProcessManager(
        string cluster, ClusterMemory memory, ProcessTable processes, KernelState<TLayout> state, ThreadManager<TLayout> threads, Scheduler<TLayout> scheduler,
        KernelCores cores, PageAllocator frames, PageAllocator kernelPages, ProcessIds pids, EventScheduler? events, ICluster hardware)
    {
        _cluster = cluster;
        _memory = memory;
        _processes = processes;
        _state = state;
        _threads = threads;
        _scheduler = scheduler;
        _cores = cores;
        _frames = frames;
        _kernelPages = kernelPages;
        _pids = pids;
        _events = events;
        _hardware = hardware;
    }

    /// <summary>Where an ending process's descriptors are closed (the IKC layer; null without a processor); set once at boot.</summary>
    public IProcessDescriptors? Descriptors { get; set; }

    public IReadOnlyList<ProcessExit> Exits => _exits;

    /// <summary>The process table these processes live in.</summary>
    public ProcessTable Table => _processes;

    public bool HasLiveProcesses
    {
        get
        {
            for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
            {
                if (_processes.Peek(slot).State == ProcessState.Ready)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public AddressSpace Space(int slot) => _spaces[slot] ?? throw new InvalidOperationException($"{_cluster}: kernel bug: process slot {slot} has no address space");

    /// <summary>The kernel's access to the user memory of process <paramref name="slot"/>.</summary>
    public UserAccess User(int slot) => new(_state.Memory, Space(slot), _hardware);

    /// <summary>Gives slot <paramref name="slot"/> the address space <paramref name="space"/> (a process arriving), or none.</summary>
    public void SetSpace(int slot, AddressSpace? space) => _spaces[slot] = space;

    /// <summary>The address space of slot <paramref name="slot"/>, or null when it has none.</summary>
    public AddressSpace? SpaceOrNull(int slot) => _spaces[slot];

    /// <summary>Loads <paramref name="image"/> as a new process whose main thread is ready no earlier than <paramref name="notBefore"/>; returns its pid.</summary>
    /// <exception cref="KernelException">No free process slot, or not enough memory; the cluster is left as it was.</exception>
    public int Spawn(ElfImage image, IReadOnlyList<string> arguments, ulong notBefore)
    {
        ProgramLoader.CheckPlacement(image);
        int slot = FreeSlot();
        int freeFrames = _frames.FreeCount;
        AddressSpace space = AddressSpace.Create(_state.Memory, _kernelPages, _frames)
            ?? throw new KernelException($"{_cluster}: no kernel page left for a page table");
        var user = new UserAccess(_state.Memory, space, _hardware);
        if (!ProgramLoader.LoadSegments(image, space, user) || !ProgramLoader.MapStack(space) || !_kernelPages.TryAllocate(out uint kernelStack))
        {
            space.Destroy();
            throw new KernelException(
                $"{_cluster}: not enough memory for the program: it needs {(image.PageBytes + KernelConstants.MainStackBytes) / 1024} KB of user memory and {freeFrames * KernelConstants.PageSize / 1024} KB are free");
        }

        uint sp;
        try
        {
            sp = ProgramLoader.BuildInitialStack(user, arguments);
        }
        catch
        {
            space.Destroy();
            _kernelPages.Free(kernelStack);
            throw;
        }

        ref ProcessRecord process = ref _processes[slot];
        process = default;
        process.Pid = _pids.Next();
        process.State = ProcessState.Ready;
        process.Entry = image.Entry;
        process.ImageStart = image.Segments[0].VirtualAddress;
        process.ImageEnd = (uint)image.End;
        process.BrkStart = (uint)AlignUp(image.End, KernelConstants.PageSize);
        process.Brk = process.BrkStart;
        process.StackTop = KernelConstants.UserStackTop;
        process.StackBottom = KernelConstants.UserStackTop - KernelConstants.MainStackBytes;
        _spaces[slot] = space;

        _state.Serving = null;
        _state.Clear(slot);
        _state.PageTable(slot, write: true).Root = space.Root;
        int core = _scheduler.LeastLoadedCore();
        _threads.Start(slot, 0, core, kernelStack, KernelConstants.UserStackTop, image.Entry, sp, 0, 0, Math.Max(_cores[core].Cycles, notBefore));
        return process.Pid;
    }

    /// <summary>
    /// Ends process <paramref name="slot"/> with <paramref name="status"/>, freeing every thread and page it held;
    /// its exit is recorded unless <paramref name="record"/> is false (a process that moved away did not end).
    /// </summary>
    public void Terminate(int slot, int status, string? diagnostic, bool record = true)
    {
        ref ProcessRecord process = ref _processes[slot];
        ulong cycle = _state.Serving?.Cycles ?? 0;
        _state.Serving = null;
        for (int t = 0; t < KernelConstants.MaxThreads; t++)
        {
            ref ThreadEntry thread = ref _state.Thread(slot, t);
            if (thread.State != ThreadStatus.Free && _state.Stacks(slot, t).KernelStack != 0)
            {
                _kernelPages.Free(_state.Stacks(slot, t).KernelStack);
            }
        }

        Descriptors?.CloseAll(process.Pid, _events?.Now ?? 0);
        uint root = _state.PageTable(slot).Root;
        Space(slot).Destroy();
        _spaces[slot] = null;
        _cores.Release(root);
        _state.Clear(slot);
        process.State = ProcessState.Exited;
        process.ExitStatus = status;
        if (record)
        {
            _exits.Add(new ProcessExit(process.Pid, status, diagnostic, cycle));
        }

        process.State = ProcessState.Free;
    }

    /// <summary>Kills the process of thread <paramref name="tid"/>, which trapped with <paramref name="trap"/> on <paramref name="core"/>, with a one-line diagnostic.</summary>
    public void Kill(int slot, int tid, int core, RunResult trap)
    {
        ref ProcessRecord process = ref _processes[slot];
        string what = FaultReport.Describe(trap.Cause);
        if (trap.Cause is TrapCause.LoadPageFault or TrapCause.StorePageFault)
        {
            for (int t = 0; t < KernelConstants.MaxThreads; t++)
            {
                uint top = _state.Stacks(slot, t).UserStackTop;
                uint bottom = top - (t == 0 ? KernelConstants.MainStackBytes : KernelConstants.ThreadStackBytes);
                if (top != 0 && trap.Tval < bottom && trap.Tval >= bottom - (KernelConstants.GuardPages * KernelConstants.PageSize))
                {
                    what = $"stack overflow into the guard page of thread {t}";
                }
            }
        }

        string address = trap.Cause == TrapCause.IllegalInstruction ? $"instruction=0x{trap.Tval:x8}" : $"address=0x{trap.Tval:x8}";
        string diagnostic =
            $"{_cluster}: process {process.Pid} thread {tid} killed: {what} at pc=0x{trap.Pc:x8} {address} (core {core}, cycle {_cores[core].Cycles})";
        Terminate(slot, FaultReport.ExitStatus(trap.Cause), diagnostic);
    }

    /// <summary>A free process slot, or -1 when all are taken.</summary>
    public int FindFreeSlot()
    {
        for (int slot = 0; slot < KernelConstants.MaxProcesses; slot++)
        {
            if (_processes[slot].State == ProcessState.Free)
            {
                return slot;
            }
        }

        return -1;
    }

    private int FreeSlot() =>
        FindFreeSlot() is var slot and >= 0 ? slot : throw new KernelException($"{_cluster}: all {KernelConstants.MaxProcesses} process slots are taken");

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
