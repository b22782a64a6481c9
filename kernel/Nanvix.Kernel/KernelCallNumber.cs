namespace Nanvix.Kernel;

/// <summary>
/// Kernel-call numbers, passed in a7. The POSIX-like subset uses Linux RV32's numbers
/// (include/uapi/asm-generic/unistd.h), so programs also run under qemu-riscv32. What the kernel knows of each
/// call is in <see cref="KernelCallTable"/>; the table with arguments, results and errors is docs/abi.md.
/// </summary>
public static class KernelCallNumber
{
    public const uint Read = 63;
    public const uint Write = 64;
    public const uint Exit = 93;
    public const uint ExitGroup = 94;
    public const uint SchedYield = 124;
    public const uint GetPid = 172;
    public const uint GetTid = 178;
    public const uint Brk = 214;
    public const uint ClockGettime64 = 403;

    // Nanvix calls: threads and synchronization (docs/abi.md).
    public const uint ThreadCreate = 1000;
    public const uint ThreadExit = 1001;
    public const uint ThreadJoin = 1002;
    public const uint ThreadSelf = 1003;
    public const uint ThreadYield = 1004;
    public const uint ThreadSleep = 1005;
    public const uint ThreadWakeup = 1006;
    public const uint MutexCreate = 1010;
    public const uint MutexLock = 1011;
    public const uint MutexUnlock = 1012;
    public const uint MutexDestroy = 1013;
    public const uint SemaphoreCreate = 1020;
    public const uint SemaphoreDown = 1021;
    public const uint SemaphoreUp = 1022;
    public const uint SemaphoreDestroy = 1023;
    public const uint ConditionCreate = 1030;
    public const uint ConditionWait = 1031;
    public const uint ConditionSignal = 1032;
    public const uint ConditionBroadcast = 1033;
    public const uint ConditionDestroy = 1034;

    // Nanvix calls: inter-cluster communication (docs/abi.md).
    public const uint MailboxCreate = 1100;
    public const uint MailboxOpen = 1101;
    public const uint MailboxRead = 1102;
    public const uint MailboxWrite = 1103;
    public const uint MailboxClose = 1104;
    public const uint NodeSelf = 1105;
    public const uint MailboxAwrite = 1106;
    public const uint MailboxAread = 1107;
    public const uint MailboxWait = 1108;
    public const uint NameLink = 1110;
    public const uint NameUnlink = 1111;
    public const uint NameLookup = 1112;
    public const uint NameHeartbeat = 1113;
    public const uint Spawn = 1115;
    public const uint SyncCreate = 1120;
    public const uint SyncOpen = 1121;
    public const uint SyncWait = 1122;
    public const uint SyncSignal = 1123;
    public const uint SyncClose = 1124;
    public const uint PortalCreate = 1130;
    public const uint PortalAllow = 1131;
    public const uint PortalOpen = 1132;
    public const uint PortalRead = 1133;
    public const uint PortalWrite = 1134;
    public const uint PortalClose = 1135;
    public const uint PortalAread = 1136;
    public const uint PortalAwrite = 1137;
    public const uint PortalWait = 1138;

    // Nanvix calls: migration.
    public const uint Migrate = 1200;

    /// <summary>migrate with a mode (0 stop-and-copy, 1 pre-copy); <see cref="Migrate"/> is mode 0.</summary>
    public const uint MigrateMode = 1201;
}
