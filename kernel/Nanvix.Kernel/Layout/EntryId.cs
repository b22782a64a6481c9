namespace Nanvix.Kernel.Layout;

/// <summary>
/// An entry of a kernel table of <typeparamref name="TEntry"/> (a mutex, a semaphore, a mailbox, a portal, a sync
/// point) as a call's entry in <c>Calls/</c> found and checked it from the caller's registers: in range, in use, the
/// caller's, of the kind the call needs. Subsystems take these instead of numbers from user registers, so what they
/// are given is never unchecked and they do not check it again (as Nanvix's <c>kernel_*</c> entries check what
/// <c>mutex_lock</c> or <c>mailbox_read</c> then trusts).
/// </summary>
/// <param name="Index">The entry's index in its table (per process for sync objects, the node's IKC table for descriptors).</param>
internal readonly record struct EntryId<TEntry>(int Index)
    where TEntry : unmanaged;
