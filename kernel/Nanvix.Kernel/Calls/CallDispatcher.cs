using Nanvix.Arch.Core;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Images;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// Serves kernel calls: decodes the ABI (number in a7, arguments in a0-a2), finds the call in
/// <see cref="KernelCallTable"/>, hands it to its family's <c>Kernel*</c> entry (which checks the arguments and calls
/// the subsystem) and answers in a0 (a result or a negative errno) with the pc past the ecall. As in Nanvix, a slave
/// core posts most calls on the kernel-call board and the master core serves them: the master's clock and D$ pay for
/// the kernel's work, and the caller resumes when the answer comes back. Reading ids and the clock, and yielding, are
/// served on the calling core. POSIX-like calls follow Linux RV32, so programs behave as under qemu-riscv32.
/// </summary>
[KernelHotPath]
internal sealed class CallDispatcher<TLayout>
    where TLayout : struct, IProcessLayout
{
    private readonly KernelState<TLayout> _state;
    private readonly ProcessManager<TLayout> _procs;
    private readonly KernelCores _cores;
    private readonly Scheduler<TLayout> _scheduler;
    private readonly MigrationRequests<TLayout> _migrations;
    private readonly KernelProcess<TLayout> _process;
    private readonly KernelConsole<TLayout> _console;
    private readonly ThreadCalls<TLayout> _threads;
    private readonly KernelSync<TLayout> _sync;
    private readonly IkcCallFamilies<TLayout>? _ikc;

    /// <param name="ikc">The IKC call families; null without a NoC (their calls answer ENOSYS).</param>
    public CallDispatcher(
        KernelState<TLayout> state, ProcessManager<TLayout> procs, KernelCores cores, Scheduler<TLayout> scheduler, MigrationRequests<TLayout> migrations,
        KernelProcess<TLayout> process, KernelConsole<TLayout> console, ThreadCalls<TLayout> threads, KernelSync<TLayout> sync, IkcCallFamilies<TLayout>? ikc)
    {
        _state = state;
        _procs = procs;
        _cores = cores;
        _scheduler = scheduler;
        _migrations = migrations;
        _process = process;
        _console = console;
        _threads = threads;
        _sync = sync;
        _ikc = ikc;
    }

    public ulong Served { get; private set; }

    private KernelState<TLayout> State => _state;

    public void Serve(int core, int slot, int tid, ref RegisterContext context)
    {
        Served++;
        _procs.Table[slot].KernelCalls++;
        uint number = context.Get(AbiRegister.A7);
        uint a0 = context.Get(AbiRegister.A0);
        uint a1 = context.Get(AbiRegister.A1);
        uint a2 = context.Get(AbiRegister.A2);
        context.Pc += 4;

        ICore caller = _cores[core];
        State.Serving = caller;
        State.Memory.Execute(KernelPath.CallTrap);
        bool known = KernelCallTable.TryGet(number, out KernelCallEntry entry);
        bool viaMaster = !known || entry.ServedByMaster;
        ICore server = viaMaster ? _cores.Master : caller;
        if (viaMaster)
        {
            ref SysboardEntry posted = ref State.Sysboard(slot, core, write: true);
            posted.State = SysboardState.Posted;
            posted.Tid = tid;
            posted.Number = number;
            posted.Arguments[0] = a0;
            posted.Arguments[1] = a1;
            posted.Arguments[2] = a2;
            server.Cycles = Math.Max(server.Cycles, caller.Cycles + KernelConstants.SysboardPostCycles);
            State.Serving = server;
            _ = State.Sysboard(slot, core).Number;
        }

        State.Serving = server;
        server.AddCycles(KernelConstants.KernelCallCycles);
        State.Memory.Execute(KernelPath.CallDecode);
        if (KernelCallPaths.TryGet(number, out KernelPath path))
        {
            State.Memory.Execute(path);
        }

        CallResult result = known ? Execute(entry.Family, number, slot, tid, a0, a1, a2, server) : CallResult.Error(Errno.ENOSYS);
        if (result.Outcome != CallOutcome.Done)
        {
            return;
        }

        if (viaMaster)
        {
            ref SysboardEntry answered = ref State.Sysboard(slot, core, write: true);
            answered.Result = result.Value;
            answered.State = SysboardState.Served;
        }

        context.Set(AbiRegister.A0, (uint)result.Value);
        State.Thread(slot, tid, write: true).ReadyAt = server.Cycles + (viaMaster ? KernelConstants.SysboardReplyCycles : 0);
        _scheduler.Rotate(slot, tid);
    }

    /// <summary>Routes call <paramref name="number"/> to the entry of its <paramref name="family"/> (from <see cref="KernelCallTable"/>).</summary>
    private CallResult Execute(CallFamily family, uint number, int slot, int tid, uint a0, uint a1, uint a2, ICore server)
    {
        ulong now = server.Cycles;
        return family switch
        {
            CallFamily.Process when number == KernelCallNumber.Exit => _threads.Exit(slot, tid, a0 & 0xFF, now),
            CallFamily.Process => _process.ExitGroup(slot, a0),
            CallFamily.Console => _console.Serve(number, slot, a0, a1, a2, server),
            CallFamily.Memory => _process.Brk(slot, a0),
            CallFamily.Identity => _process.Identity(number, slot, tid, a0, a1, server),
            CallFamily.Thread => Thread(number, slot, tid, a0, a1, a2, now),
            CallFamily.Sync => _sync.Serve(number, slot, tid, a0, a1, now),
            CallFamily.Migration => _migrations.Request(slot, tid, (int)a0, number == KernelCallNumber.MigrateMode ? (int)a1 : 0),
            _ when _ikc is null => CallResult.Error(Errno.ENOSYS),
            CallFamily.Mailbox => _ikc.Mailboxes.Serve(number, slot, tid, Pid(slot), a0, a1, a2, now),
            CallFamily.Service => _ikc.Services.Serve(number, slot, tid, a0, a1, a2, now),
            CallFamily.SyncPoint => _ikc.SyncPoints.Serve(number, slot, tid, Pid(slot), a0, a1, a2, now),
            CallFamily.Portal => _ikc.Portals.Serve(number, slot, tid, Pid(slot), a0, a1, a2, now),
            _ => CallResult.Error(Errno.ENOSYS),
        };
    }

    private CallResult Thread(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now) => number switch
    {
        KernelCallNumber.ThreadCreate => _threads.Create(slot, a0, a1, a2, now),
        KernelCallNumber.ThreadExit => _threads.Exit(slot, tid, a0, now),
        KernelCallNumber.ThreadJoin => _threads.Join(slot, tid, (int)a0, a1),
        KernelCallNumber.ThreadSleep => _threads.Sleep(slot, tid),
        _ => _threads.Wakeup(slot, (int)a0, now),
    };

    private int Pid(int slot) => _procs.Table[slot].Pid;
}
