namespace Nanvix.Kernel.Calls;

/// <summary>The entries of the IKC call families, which a kernel has only over a NoC (without one their calls answer ENOSYS).</summary>
internal sealed record IkcCallFamilies<TLayout>(KernelMailbox<TLayout> Mailboxes, KernelPortal<TLayout> Portals, KernelSyncPoint<TLayout> SyncPoints, KernelService<TLayout> Services)
    where TLayout : struct, Layout.IProcessLayout;
