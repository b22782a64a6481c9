using System.Buffers.Binary;
using Nanvix.Arch.Core;
using Nanvix.Hal.Processor;
using Nanvix.Kernel.Console;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Images;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Migration;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// Serves kernel calls: decodes the ABI (number in a7, arguments in a0-a5), calls one <c>Kernel*</c> entry, and
/// answers in a0 (a result or a negative errno) with the pc past the ecall. As in Nanvix, a slave core posts most
/// calls on the kernel-call board and the master core serves them: the master's clock and D$ pay for the kernel's
/// work, and the caller resumes when the answer comes back. Reading ids and the clock, and yielding, are served on
/// the calling core. POSIX-like calls follow Linux RV32, so programs behave as under qemu-riscv32.
/// </summary>
[KernelHotPath]
internal sealed class CallDispatcher<TLayout>
    where TLayout : struct, IProcessLayout
{
    /// <summary>Largest piece of a read the kernel moves at once, through a buffer on the host stack.</summary>
    private const int ReadChunk = 512;

    private readonly KernelState<TLayout> _state;
    private readonly ProcessManager<TLayout> _procs;
    private readonly KernelCores _cores;
    private readonly Scheduler<TLayout> _scheduler;
    private readonly IConsole _console;
    private readonly long _frequencyHz;
    private readonly int _node;
    private readonly MigrationRequests<TLayout> _migrations;
    private readonly ThreadCalls<TLayout> _threads;
    private readonly SyncCalls<TLayout> _sync;
    private readonly MailboxCalls<TLayout>? _mailboxes;
    private readonly NameCalls<TLayout>? _names;
    private readonly SyncPointCalls<TLayout>? _syncPoints;
    private readonly PortalCalls<TLayout>? _portals;

    /// <param name="node">The cluster's NoC node (what node_self answers).</param>
    /// <param name="ikc">The IKC call families; null without a processor (their calls answer ENOSYS).</param>
    public CallDispatcher(
        KernelState<TLayout> state, ProcessManager<TLayout> procs, KernelCores cores, Scheduler<TLayout> scheduler, IConsole console, long frequencyHz, int node,
        MigrationRequests<TLayout> migrations, ThreadCalls<TLayout> threads, SyncCalls<TLayout> sync, IkcLayer<TLayout>? ikc)
    {
        _state = state;
        _procs = procs;
        _cores = cores;
        _scheduler = scheduler;
        _console = console;
        _frequencyHz = frequencyHz;
        _node = node;
        _migrations = migrations;
        _threads = threads;
        _sync = sync;
        _mailboxes = ikc?.Mailboxes;
        _names = ikc?.Names;
        _syncPoints = ikc?.SyncPoints;
        _portals = ikc?.Portals;
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
        bool known = KernelCallTable.TryGet(number, out KernelCallEntry entry);
        bool viaMaster = !known || entry.ServedByMaster;
        ICore server = viaMaster ? _cores.Master : caller;
        if (viaMaster)
        {
            State.Serving = caller;
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
            CallFamily.Process => KernelExitGroup(slot, a0),
            CallFamily.Console when number == KernelCallNumber.Write => CallResult.Done(KernelWrite(slot, (int)a0, a1, a2, server)),
            CallFamily.Console => CallResult.Done(KernelRead(slot, (int)a0, a1, a2, server)),
            CallFamily.Memory => CallResult.Done((int)KernelBrk(slot, a0)),
            CallFamily.Identity => Identity(number, slot, tid, a0, a1, server),
            CallFamily.Thread => Thread(number, slot, tid, a0, a1, a2, now),
            CallFamily.Sync => Sync(number, slot, tid, a0, a1, now),
            CallFamily.Mailbox => Mailbox(number, slot, tid, a0, a1, a2, now),
            CallFamily.Service when number == KernelCallNumber.Spawn => _names?.RequestSpawn(slot, tid, a0, a1, a2, now) ?? CallResult.Error(Errno.ENOSYS),
            CallFamily.Service => _names?.Request(slot, tid, a0, now) ?? CallResult.Error(Errno.ENOSYS),
            CallFamily.SyncPoint => SyncPoint(number, slot, tid, a0, a1, a2, now),
            CallFamily.Portal => Portal(number, slot, tid, a0, a1, a2, now),
            CallFamily.Migration => _migrations.Request(slot, tid, (int)a0),
            _ => CallResult.Error(Errno.ENOSYS),
        };
    }

    /// <summary>The calls answered on the calling core: ids, the clock, yields.</summary>
    private CallResult Identity(uint number, int slot, int tid, uint a0, uint a1, ICore server) => number switch
    {
        KernelCallNumber.GetPid => CallResult.Done(_procs.Table[slot].Pid),
        KernelCallNumber.GetTid or KernelCallNumber.ThreadSelf => CallResult.Done(tid),
        KernelCallNumber.ClockGettime64 => CallResult.Done(KernelClockGettime(slot, (int)a0, a1, server)),
        KernelCallNumber.NodeSelf => CallResult.Done(_node),
        _ => CallResult.Done(0),
    };

    private CallResult Thread(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now) => number switch
    {
        KernelCallNumber.ThreadCreate => _threads.Create(slot, a0, a1, a2, now),
        KernelCallNumber.ThreadExit => _threads.Exit(slot, tid, a0, now),
        KernelCallNumber.ThreadJoin => _threads.Join(slot, tid, (int)a0, a1),
        KernelCallNumber.ThreadSleep => _threads.Sleep(slot, tid),
        _ => _threads.Wakeup(slot, (int)a0, now),
    };

    private CallResult Sync(uint number, int slot, int tid, uint a0, uint a1, ulong now) => number switch
    {
        KernelCallNumber.MutexCreate => _sync.MutexCreate(slot),
        KernelCallNumber.MutexLock => _sync.MutexLock(slot, tid, (int)a0),
        KernelCallNumber.MutexUnlock => _sync.MutexUnlock(slot, tid, (int)a0, now),
        KernelCallNumber.MutexDestroy => _sync.MutexDestroy(slot, (int)a0),
        KernelCallNumber.SemaphoreCreate => _sync.SemaphoreCreate(slot, (int)a0),
        KernelCallNumber.SemaphoreDown => _sync.SemaphoreDown(slot, tid, (int)a0),
        KernelCallNumber.SemaphoreUp => _sync.SemaphoreUp(slot, (int)a0, now),
        KernelCallNumber.SemaphoreDestroy => _sync.SemaphoreDestroy(slot, (int)a0),
        KernelCallNumber.ConditionCreate => _sync.ConditionCreate(slot),
        KernelCallNumber.ConditionWait => _sync.ConditionWait(slot, tid, (int)a0, (int)a1, now),
        KernelCallNumber.ConditionSignal => _sync.ConditionSignal(slot, (int)a0, all: false, now),
        KernelCallNumber.ConditionBroadcast => _sync.ConditionSignal(slot, (int)a0, all: true, now),
        _ => _sync.ConditionDestroy(slot, (int)a0),
    };

    private CallResult Mailbox(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now)
    {
        if (_mailboxes is null)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        int pid = _procs.Table[slot].Pid;
        return number switch
        {
            KernelCallNumber.MailboxCreate => _mailboxes.Create(pid, (int)a0),
            KernelCallNumber.MailboxOpen => _mailboxes.Open(pid, (int)a0, (int)a1),
            KernelCallNumber.MailboxRead => _mailboxes.Read(slot, tid, pid, (int)a0, a1, a2),
            KernelCallNumber.MailboxWrite => _mailboxes.Write(slot, tid, pid, (int)a0, a2, now),
            KernelCallNumber.MailboxAwrite => _mailboxes.Post(pid, (int)a0, a1, a2, write: true, now),
            KernelCallNumber.MailboxAread => _mailboxes.Post(pid, (int)a0, a1, a2, write: false, now),
            KernelCallNumber.MailboxWait => _mailboxes.Wait(slot, tid, pid, (int)a0),
            _ => _mailboxes.Close(pid, (int)a0),
        };
    }

    private CallResult Portal(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now)
    {
        if (_portals is null)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        int pid = _procs.Table[slot].Pid;
        return number switch
        {
            KernelCallNumber.PortalCreate => _portals.Create(pid, (int)a0),
            KernelCallNumber.PortalAllow => _portals.Allow(pid, (int)a0, (int)a1),
            KernelCallNumber.PortalOpen => _portals.Open(pid, (int)a0, (int)a1),
            KernelCallNumber.PortalRead => _portals.Transfer(slot, tid, pid, (int)a0, a2, read: true, now),
            KernelCallNumber.PortalWrite => _portals.Transfer(slot, tid, pid, (int)a0, a2, read: false, now),
            KernelCallNumber.PortalAread => _portals.Post(pid, (int)a0, a1, a2, read: true, now),
            KernelCallNumber.PortalAwrite => _portals.Post(pid, (int)a0, a1, a2, read: false, now),
            KernelCallNumber.PortalWait => _portals.Wait(slot, tid, pid, (int)a0),
            _ => _portals.Close(pid, (int)a0, now),
        };
    }

    private CallResult SyncPoint(uint number, int slot, int tid, uint a0, uint a1, uint a2, ulong now)
    {
        if (_syncPoints is null)
        {
            return CallResult.Error(Errno.ENOSYS);
        }

        int pid = _procs.Table[slot].Pid;
        return number switch
        {
            KernelCallNumber.SyncCreate => _syncPoints.Create(slot, pid, a0, a1, a2, input: true),
            KernelCallNumber.SyncOpen => _syncPoints.Create(slot, pid, a0, a1, a2, input: false),
            KernelCallNumber.SyncWait => _syncPoints.Wait(slot, tid, pid, (int)a0),
            KernelCallNumber.SyncSignal => _syncPoints.Signal(slot, tid, pid, (int)a0, now),
            _ => _syncPoints.Close(pid, (int)a0),
        };
    }

    private CallResult KernelExitGroup(int slot, uint status)
    {
        _procs.Terminate(slot, (int)(status & 0xFF), diagnostic: null);
        return CallResult.Gone;
    }

    private int KernelWrite(int slot, int fd, uint buffer, uint count, ICore server)
    {
        if (fd is not (1 or 2))
        {
            return -Errno.EBADF;
        }

        if (count > int.MaxValue)
        {
            return -Errno.EINVAL;
        }

        UserAccess user = _procs.User(slot);
        int pid = _procs.Table[slot].Pid;
        uint done = 0;
        while (done < count)
        {
            if (!user.TrySpan(buffer + done, (int)(count - done), PagePermissions.Read, out Span<byte> chunk))
            {
                // Linux writes what it could before the bad page; with nothing written the call fails.
                return done > 0 ? (int)done : -Errno.EFAULT;
            }

            _console.Write(pid, fd, chunk);
            done += (uint)chunk.Length;
        }

        server.AddCycles(CopyCycles(count));
        return (int)count;
    }

    private int KernelRead(int slot, int fd, uint buffer, uint count, ICore server)
    {
        if (fd != 0)
        {
            return -Errno.EBADF;
        }

        UserAccess user = _procs.User(slot);
        Span<byte> chunk = stackalloc byte[ReadChunk];
        int wanted = (int)Math.Min(count, ReadChunk);
        if (wanted > 0 && !user.TrySpan(buffer, 1, PagePermissions.Write, out _))
        {
            return -Errno.EFAULT;
        }

        int got = _console.Read(_procs.Table[slot].Pid, chunk[..wanted]);
        if (!user.CopyTo(buffer, chunk[..got]))
        {
            return -Errno.EFAULT;
        }

        server.AddCycles(CopyCycles((uint)got));
        return got;
    }

    /// <summary>Linux brk: the new break on success, the old one when the request cannot be met (<see cref="ProgramBreak"/>).</summary>
    private uint KernelBrk(int slot, uint requested)
    {
        ref ProcessRecord process = ref _procs.Table[slot];
        process.Brk = ProgramBreak.Move(_procs.Space(slot), process.BrkStart, process.Brk, requested, out bool flushTlbs);
        if (flushTlbs)
        {
            _cores.FlushTlbs();
        }

        return process.Brk;
    }

    private int KernelClockGettime(int slot, int clock, uint timespec, ICore server)
    {
        if (clock is not (0 or 1))
        {
            return -Errno.EINVAL;
        }

        // Simulated time of the calling core since boot: struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; }.
        ulong cycles = server.Cycles;
        ulong frequency = (ulong)_frequencyHz;
        Span<byte> value = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(value, (long)(cycles / frequency));
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], (long)((cycles % frequency) * 1_000_000_000UL / frequency));
        return _procs.User(slot).CopyTo(timespec, value) ? 0 : -Errno.EFAULT;
    }

    private static ulong CopyCycles(uint bytes) => (bytes + 3) / 4 * KernelConstants.CopyCyclesPerWord;
}
