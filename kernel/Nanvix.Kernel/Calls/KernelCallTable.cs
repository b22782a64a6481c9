using System.Collections.Immutable;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>The group of kernel calls one <c>Kernel*</c> entry serves (Nanvix: one <c>kernel_*</c> source per family).</summary>
public enum CallFamily : byte
{
    /// <summary>Not a kernel call: answered ENOSYS.</summary>
    None,

    /// <summary>exit, exit_group.</summary>
    Process,

    /// <summary>read, write on the standard streams.</summary>
    Console,

    /// <summary>brk.</summary>
    Memory,

    /// <summary>getpid, gettid, thread_self, node_self, the yields, clock_gettime64: answered on the calling core.</summary>
    Identity,

    /// <summary>thread_create, thread_exit, thread_join, thread_sleep, thread_wakeup.</summary>
    Thread,

    /// <summary>Mutexes, semaphores and condition variables of a process.</summary>
    Sync,

    /// <summary>Virtual mailboxes over the NoC.</summary>
    Mailbox,

    /// <summary>Requests to the name and spawn services on IO0.</summary>
    Service,

    /// <summary>Sync points over the NoC.</summary>
    SyncPoint,

    /// <summary>Virtual portals over the NoC.</summary>
    Portal,

    /// <summary>migrate.</summary>
    Migration,
}

/// <summary>What a kernel-call argument is, as the family's entry checks it.</summary>
public enum ArgumentKind : byte
{
    None,

    /// <summary>A plain number (a status, a value, an initial count, a clock id).</summary>
    Value,

    /// <summary>A file descriptor of the standard streams.</summary>
    Stream,

    /// <summary>A user address the kernel reads or writes (checked through the process's page tables: EFAULT).</summary>
    Pointer,

    /// <summary>A byte count of the buffer before it.</summary>
    Size,

    /// <summary>A thread of the caller's process.</summary>
    Thread,

    /// <summary>A mutex, semaphore or condition of the caller's process.</summary>
    SyncObject,

    /// <summary>An IKC descriptor of the caller's process (EBADF).</summary>
    Descriptor,

    /// <summary>A NoC node (EINVAL).</summary>
    Node,

    /// <summary>A port of a node (EINVAL).</summary>
    Port,

    /// <summary>A zero-terminated string in user memory.</summary>
    Text,
}

/// <summary>One kernel call: its number (a7), its name in docs/abi.md, the family that serves it, where, and its arguments (a0-a2).</summary>
public readonly record struct KernelCallEntry(uint Number, string Name, CallFamily Family, bool ServedByMaster, ArgumentKind A0, ArgumentKind A1, ArgumentKind A2)
{
    /// <summary>How many arguments the call takes.</summary>
    public int ArgumentCount => A2 != ArgumentKind.None ? 3 : A1 != ArgumentKind.None ? 2 : A0 != ArgumentKind.None ? 1 : 0;
}

/// <summary>
/// The kernel-call table: what the ABI decoder knows of each number, and nothing else is needed to route a call
/// (docs/abi.md lists the same calls with their arguments, results and errors; a test holds the two together). A call
/// is served by the master core through the kernel-call board unless it only reads ids or the clock, or yields.
/// </summary>
public static class KernelCallTable
{
    private const ArgumentKind None = ArgumentKind.None;
    private const ArgumentKind Value = ArgumentKind.Value;
    private const ArgumentKind Pointer = ArgumentKind.Pointer;
    private const ArgumentKind Size = ArgumentKind.Size;
    private const ArgumentKind Descriptor = ArgumentKind.Descriptor;
    private const ArgumentKind Node = ArgumentKind.Node;
    private const ArgumentKind Port = ArgumentKind.Port;
    private const ArgumentKind SyncObject = ArgumentKind.SyncObject;
    private const ArgumentKind Text = ArgumentKind.Text;

    /// <summary>Every kernel call, in the order of docs/abi.md.</summary>
    public static ImmutableArray<KernelCallEntry> Entries { get; } =
    [
        Master(K.Read, "read", CallFamily.Console, ArgumentKind.Stream, Pointer, Size),
        Master(K.Write, "write", CallFamily.Console, ArgumentKind.Stream, Pointer, Size),
        Master(K.Exit, "exit", CallFamily.Process, Value),
        Master(K.ExitGroup, "exit_group", CallFamily.Process, Value),
        Local(K.SchedYield, "sched_yield"),
        Local(K.GetPid, "getpid"),
        Local(K.GetTid, "gettid"),
        Master(K.Brk, "brk", CallFamily.Memory, Value),
        Local(K.ClockGettime64, "clock_gettime64", Value, Pointer),

        Master(K.ThreadCreate, "thread_create", CallFamily.Thread, Pointer, Value, Value),
        Master(K.ThreadExit, "thread_exit", CallFamily.Thread, Value),
        Master(K.ThreadJoin, "thread_join", CallFamily.Thread, ArgumentKind.Thread, Pointer),
        Local(K.ThreadSelf, "thread_self"),
        Local(K.ThreadYield, "thread_yield"),
        Master(K.ThreadSleep, "thread_sleep", CallFamily.Thread),
        Master(K.ThreadWakeup, "thread_wakeup", CallFamily.Thread, ArgumentKind.Thread),
        Master(K.MutexCreate, "mutex_create", CallFamily.Sync),
        Master(K.MutexLock, "mutex_lock", CallFamily.Sync, SyncObject),
        Master(K.MutexUnlock, "mutex_unlock", CallFamily.Sync, SyncObject),
        Master(K.MutexDestroy, "mutex_destroy", CallFamily.Sync, SyncObject),
        Master(K.SemaphoreCreate, "semaphore_create", CallFamily.Sync, Value),
        Master(K.SemaphoreDown, "semaphore_down", CallFamily.Sync, SyncObject),
        Master(K.SemaphoreUp, "semaphore_up", CallFamily.Sync, SyncObject),
        Master(K.SemaphoreDestroy, "semaphore_destroy", CallFamily.Sync, SyncObject),
        Master(K.ConditionCreate, "condition_create", CallFamily.Sync),
        Master(K.ConditionWait, "condition_wait", CallFamily.Sync, SyncObject, SyncObject),
        Master(K.ConditionSignal, "condition_signal", CallFamily.Sync, SyncObject),
        Master(K.ConditionBroadcast, "condition_broadcast", CallFamily.Sync, SyncObject),
        Master(K.ConditionDestroy, "condition_destroy", CallFamily.Sync, SyncObject),

        Master(K.MailboxCreate, "mailbox_create", CallFamily.Mailbox, Port),
        Master(K.MailboxOpen, "mailbox_open", CallFamily.Mailbox, Node, Port),
        Master(K.MailboxRead, "mailbox_read", CallFamily.Mailbox, Descriptor, Pointer, Size),
        Master(K.MailboxWrite, "mailbox_write", CallFamily.Mailbox, Descriptor, Pointer, Size),
        Master(K.MailboxClose, "mailbox_close", CallFamily.Mailbox, Descriptor),
        Local(K.NodeSelf, "node_self"),
        Master(K.MailboxAwrite, "mailbox_awrite", CallFamily.Mailbox, Descriptor, Pointer, Size),
        Master(K.MailboxAread, "mailbox_aread", CallFamily.Mailbox, Descriptor, Pointer, Size),
        Master(K.MailboxWait, "mailbox_wait", CallFamily.Mailbox, Descriptor),
        Master(K.Spawn, "spawn", CallFamily.Service, Node, Text, Text),
        Master(K.SyncCreate, "sync_create", CallFamily.SyncPoint, Pointer, Value, Value),
        Master(K.SyncOpen, "sync_open", CallFamily.SyncPoint, Pointer, Value, Value),
        Master(K.SyncWait, "sync_wait", CallFamily.SyncPoint, Descriptor),
        Master(K.SyncSignal, "sync_signal", CallFamily.SyncPoint, Descriptor),
        Master(K.SyncClose, "sync_close", CallFamily.SyncPoint, Descriptor),
        Master(K.PortalCreate, "portal_create", CallFamily.Portal, Port),
        Master(K.PortalAllow, "portal_allow", CallFamily.Portal, Descriptor, Node),
        Master(K.PortalOpen, "portal_open", CallFamily.Portal, Node, Port),
        Master(K.PortalRead, "portal_read", CallFamily.Portal, Descriptor, Pointer, Size),
        Master(K.PortalWrite, "portal_write", CallFamily.Portal, Descriptor, Pointer, Size),
        Master(K.PortalClose, "portal_close", CallFamily.Portal, Descriptor),
        Master(K.PortalAread, "portal_aread", CallFamily.Portal, Descriptor, Pointer, Size),
        Master(K.PortalAwrite, "portal_awrite", CallFamily.Portal, Descriptor, Pointer, Size),
        Master(K.PortalWait, "portal_wait", CallFamily.Portal, Descriptor),
        Master(K.Migrate, "migrate", CallFamily.Migration, Node),
        Master(K.MigrateMode, "migrate_mode", CallFamily.Migration, Node, Value),
        Master(K.NameLink, "name_link", CallFamily.Service, Text, Port),
        Master(K.NameUnlink, "name_unlink", CallFamily.Service, Text),
        Master(K.NameHeartbeat, "name_heartbeat", CallFamily.Service, Text),
        Master(K.NameLookup, "name_lookup", CallFamily.Service, Text, Pointer),
    ];

    /// <summary>Index + 1 into <see cref="Entries"/> by call number (0: no such call).</summary>
    private static readonly byte[] IndexOf = BuildIndex();

    /// <summary>The entry of call <paramref name="number"/>; false (and a family of <see cref="CallFamily.None"/>) for a number that is no call.</summary>
    public static bool TryGet(uint number, out KernelCallEntry entry)
    {
        if (number < (uint)IndexOf.Length && IndexOf[number] is var index and > 0)
        {
            entry = Entries[index - 1];
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>
    /// True for the calls a slave core forwards to the master through the kernel-call board; the others (reading
    /// ids and the clock, yielding) are served on the calling core. A number that is no call goes to the master, which answers ENOSYS.
    /// </summary>
    public static bool IsServedByMaster(uint number) => !TryGet(number, out KernelCallEntry entry) || entry.ServedByMaster;

    /// <summary>The name docs/abi.md gives call <paramref name="number"/>, or "call N" for a number that is none.</summary>
    public static string NameOf(int number) =>
        TryGet((uint)number, out KernelCallEntry entry) ? entry.Name : "call " + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static KernelCallEntry Master(uint number, string name, CallFamily family, ArgumentKind a0 = None, ArgumentKind a1 = None, ArgumentKind a2 = None) =>
        new(number, name, family, ServedByMaster: true, a0, a1, a2);

    private static KernelCallEntry Local(uint number, string name, ArgumentKind a0 = None, ArgumentKind a1 = None) =>
        new(number, name, CallFamily.Identity, ServedByMaster: false, a0, a1, None);

    private static byte[] BuildIndex()
    {
        uint highest = 0;
        foreach (KernelCallEntry entry in Entries)
        {
            highest = Math.Max(highest, entry.Number);
        }

        byte[] index = new byte[highest + 1];
        for (int i = 0; i < Entries.Length; i++)
        {
            if (index[Entries[i].Number] != 0)
            {
                throw new InvalidOperationException($"kernel bug: call {Entries[i].Number} is in the kernel-call table twice");
            }

            index[Entries[i].Number] = checked((byte)(i + 1));
        }

        return index;
    }
}
