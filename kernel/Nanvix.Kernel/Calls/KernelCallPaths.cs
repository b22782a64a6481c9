using Nanvix.Kernel.Mm;
using K = Nanvix.Kernel.KernelCallNumber;

namespace Nanvix.Kernel.Calls;

/// <summary>
/// Which kernel path (<see cref="KernelText"/>) a kernel call runs on the core that serves it, after the trap
/// (<see cref="KernelPath.CallTrap"/>, on the caller) and the decode (<see cref="KernelPath.CallDecode"/>). The pages a
/// call allocates, zeroes, maps or frees run their own paths where the kernel does that work.
/// </summary>
internal static class KernelCallPaths
{
    /// <summary>The path of call <paramref name="number"/>; false for a number that is no call (the decode alone runs).</summary>
    public static bool TryGet(uint number, out KernelPath path)
    {
        path = number switch
        {
            K.Read or K.Write => KernelPath.ConsoleWrite,
            K.Exit or K.ExitGroup or K.ThreadExit => KernelPath.ThreadExit,
            K.SchedYield or K.ThreadYield => KernelPath.ThreadYield,
            K.GetPid or K.GetTid or K.ClockGettime64 or K.ThreadSelf or K.NodeSelf => KernelPath.Identity,
            K.Brk => KernelPath.Brk,
            K.ThreadCreate => KernelPath.ThreadCreate,
            K.ThreadJoin => KernelPath.ThreadJoin,
            K.ThreadSleep => KernelPath.ThreadSleep,
            K.ThreadWakeup => KernelPath.ThreadWakeup,
            K.MutexCreate or K.SemaphoreCreate or K.ConditionCreate => KernelPath.SyncCreate,
            K.MutexDestroy or K.SemaphoreDestroy or K.ConditionDestroy => KernelPath.SyncDestroy,
            K.MutexLock or K.SemaphoreDown => KernelPath.SyncDown,
            K.MutexUnlock or K.SemaphoreUp => KernelPath.SyncUp,
            K.ConditionWait => KernelPath.ConditionWait,
            K.ConditionSignal or K.ConditionBroadcast => KernelPath.ConditionSignal,
            K.MailboxCreate or K.MailboxOpen => KernelPath.MailboxOpen,
            K.MailboxWrite or K.MailboxAwrite => KernelPath.MailboxWrite,
            K.MailboxRead or K.MailboxAread or K.MailboxWait => KernelPath.MailboxRead,
            K.MailboxClose => KernelPath.MailboxClose,
            K.PortalCreate or K.PortalAllow or K.PortalOpen => KernelPath.PortalOpen,
            K.PortalWrite or K.PortalAwrite => KernelPath.PortalWrite,
            K.PortalRead or K.PortalAread or K.PortalWait => KernelPath.PortalRead,
            K.PortalClose => KernelPath.PortalClose,
            K.SyncCreate or K.SyncOpen => KernelPath.SyncPointOpen,
            K.SyncSignal => KernelPath.SyncPointSignal,
            K.SyncWait => KernelPath.SyncPointWait,
            K.SyncClose => KernelPath.SyncPointClose,
            K.Spawn or K.NameLink or K.NameUnlink or K.NameHeartbeat or K.NameLookup => KernelPath.Service,
            K.Migrate or K.MigrateMode => KernelPath.Migrate,
            _ => KernelPath.CallDecode,
        };
        return path != KernelPath.CallDecode;
    }
}
