using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Nanvix.Arch.Core;
using Nanvix.Kernel.Ikc;
using Nanvix.Kernel.Layout;
using Nanvix.Kernel.Mm;
using Nanvix.Kernel.Proc;
using Nanvix.Kernel.Sched;
using Nanvix.Kernel.Sync;
using Nanvix.Kernel.Threads;

namespace Nanvix.Kernel.Images;

/// <summary>
/// A frozen process on its way between clusters: everything the source kernel kept for it — the process record, the
/// list of its mapped pages (virtual address and permissions), the per-process kernel state (threads, joins, return
/// values, stacks, run queue, control variables, synchronization objects), each live thread's saved context, and its
/// mailboxes. Physical addresses are not part of it: the target maps the same virtual pages on frames of its own, and
/// the page contents go frame to frame over the NoC. <see cref="Write"/> lays it out as the bytes that travel
/// (the kernel-state region of a move), <see cref="Read"/> takes them back.
/// </summary>
public sealed class ProcessSnapshot
{
    private const int Magic = 0x5850_4E4E; // "NNPX"

    /// <summary>Where a page's <see cref="PageRoute"/> sits in its permissions word on the wire.</summary>
    private const int RouteShift = 30;

    public required ProcessRecord Record { get; init; }

    public required List<(uint Virtual, PagePermissions Permissions)> Pages { get; init; }

    public required ThreadEntry[] Threads { get; init; }

    public required JoinCondition[] Joins { get; init; }

    public required ReturnValue[] Returns { get; init; }

    public required uint[] UserStackTops { get; init; }

    /// <summary>Saved context of each thread that has one (not free, not exited); default for the others.</summary>
    public required RegisterContext[] Contexts { get; init; }

    public required RunQueue RunQueue { get; init; }

    public required ThreadControl Control { get; init; }

    public required MutexEntry[] Mutexes { get; init; }

    public required SemaphoreEntry[] Semaphores { get; init; }

    public required ConditionEntry[] Conditions { get; init; }

    public required List<MailboxImage> Mailboxes { get; init; }

    public required List<PortalImage> Portals { get; init; }

    public required List<SyncImage> SyncPoints { get; init; }

    /// <summary>Pages at the top of the address space that are stacks (the rest are text, data and heap).</summary>
    public required int StackPages { get; init; }

    /// <summary>
    /// How each page of <see cref="Pages"/> reaches the target (empty: all in the regions after the kernel state, as a
    /// stop-and-copy move sends them).
    /// </summary>
    public PageRoute[] Routes { get; set; } = [];

    /// <summary>How page <paramref name="index"/> of <see cref="Pages"/> reaches the target.</summary>
    public PageRoute RouteOf(int index) => Routes.Length == 0 ? PageRoute.Regions : Routes[index];

    /// <summary>Pages of text, data and heap that travel in the regions after the kernel state.</summary>
    public int SentSectionPages => CountRegions(0, Pages.Count - StackPages);

    /// <summary>Stack pages that travel in the regions after the kernel state.</summary>
    public int SentStackPages => CountRegions(Pages.Count - StackPages, Pages.Count);

    /// <summary>Bytes of user memory sent with the kernel state: text, data, heap (every page that is not a stack).</summary>
    public long SectionBytes => (long)SentSectionPages * KernelConstants.PageSize;

    /// <summary>Bytes of the user stacks sent with the kernel state.</summary>
    public long StackBytes => (long)SentStackPages * KernelConstants.PageSize;

    /// <summary>Bytes of per-process kernel state (the UArea's contents, or the same entries gathered from the scattered tables), record included.</summary>
    public long KernelStateBytes =>
        Size<ProcessRecord>() + (Threads.Length * (Size<ThreadEntry>() + Size<JoinCondition>() + Size<ReturnValue>() + sizeof(uint)))
        + Size<RunQueue>() + Size<ThreadControl>() + (Mutexes.Length * Size<MutexEntry>()) + (Semaphores.Length * Size<SemaphoreEntry>())
        + (Conditions.Length * Size<ConditionEntry>());

    /// <summary>Bytes of the saved thread contexts.</summary>
    public long ContextBytes => LiveThreads * RegisterContext.Size;

    /// <summary>Bytes of the IKC state that moves along: mailboxes (descriptors, queued messages, ordering tables) and portals.</summary>
    public long IkcBytes => Mailboxes.Sum(m => (long)m.Bytes + 12) + (Portals.Count * (long)Size<PortalImage>()) + (SyncPoints.Count * (long)Size<SyncImage>());

    /// <summary>Bytes of the page list and the framing of the kernel-state region.</summary>
    public long ManifestBytes => 20 + (Pages.Count * 8L);

    public long TotalBytes => SectionBytes + StackBytes + KernelStateBytes + ContextBytes + IkcBytes + ManifestBytes;

    private int CountRegions(int from, int to)
    {
        int count = 0;
        for (int i = from; i < to; i++)
        {
            count += RouteOf(i) == PageRoute.Regions ? 1 : 0;
        }

        return count;
    }

    /// <summary>Threads with a saved context.</summary>
    public int LiveThreads => Threads.Count(t => t.State is ThreadStatus.Ready or ThreadStatus.Blocked);

    /// <summary>Bytes <see cref="Write"/> produces.</summary>
    public int RegionBytes => checked((int)(KernelStateBytes + ContextBytes + IkcBytes + ManifestBytes));

    /// <summary>Lays the snapshot out in <paramref name="destination"/> (at least <see cref="RegionBytes"/> long).</summary>
    public void Write(Span<byte> destination)
    {
        var writer = new Writer(destination);
        writer.Int(Magic);
        writer.Int(Pages.Count);
        writer.Int(StackPages);
        writer.Int(Mailboxes.Count);
        // Portals in the low half, sync points in the high half: the framing stays 20 bytes.
        writer.Int(Portals.Count | (SyncPoints.Count << 16));
        writer.Struct(Record);
        for (int i = 0; i < Pages.Count; i++)
        {
            // The route rides in the top bits of the permissions word.
            writer.Int((int)Pages[i].Virtual);
            writer.Int((int)Pages[i].Permissions | ((int)RouteOf(i) << RouteShift));
        }

        writer.Structs<ThreadEntry>(Threads);
        writer.Structs<JoinCondition>(Joins);
        writer.Structs<ReturnValue>(Returns);
        writer.Structs<uint>(UserStackTops);
        writer.Struct(RunQueue);
        writer.Struct(Control);
        writer.Structs<MutexEntry>(Mutexes);
        writer.Structs<SemaphoreEntry>(Semaphores);
        writer.Structs<ConditionEntry>(Conditions);
        for (int t = 0; t < Threads.Length; t++)
        {
            if (Threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked)
            {
                writer.Struct(Contexts[t]);
            }
        }

        foreach (MailboxImage image in Mailboxes)
        {
            writer.Int(image.Index);
            writer.Int(image.Messages.Length);
            writer.Int(image.Ordering.Length);
            writer.Struct(image.Entry);
            writer.Bytes(image.Messages);
            writer.Bytes(image.Ordering);
        }

        writer.Structs<PortalImage>(Portals.ToArray());
        writer.Structs<SyncImage>(SyncPoints.ToArray());
    }

    /// <summary>Takes a snapshot back from the bytes <see cref="Write"/> laid out; a <see cref="KernelException"/> if they do not hold one.</summary>
    public static ProcessSnapshot Read(ReadOnlySpan<byte> source)
    {
        try
        {
            var reader = new Reader(source);
            if (reader.Int() != Magic)
            {
                throw new KernelException("the kernel-state region of the move is not a process snapshot");
            }

            int pageCount = reader.Int();
            int stackPages = reader.Int();
            int mailboxCount = reader.Int();
            int counts = reader.Int();
            int portalCount = counts & 0xFFFF;
            int syncCount = (int)((uint)counts >> 16);
            if ((uint)pageCount > 1u << 20 || (uint)stackPages > (uint)pageCount || (uint)mailboxCount > KernelConstants.IkcDescriptorsPerProcess
                || (uint)portalCount > KernelConstants.IkcDescriptorsPerProcess || (uint)syncCount > KernelConstants.IkcDescriptorsPerProcess)
            {
                throw new KernelException("the kernel-state region of the move has impossible counts");
            }

            ProcessRecord record = reader.Struct<ProcessRecord>();
            var pages = new List<(uint, PagePermissions)>(pageCount);
            var routes = new PageRoute[pageCount];
            for (int i = 0; i < pageCount; i++)
            {
                uint va = (uint)reader.Int();
                int word = reader.Int();
                routes[i] = (PageRoute)((uint)word >> RouteShift);
                if (routes[i] > PageRoute.OnDemand || (va & (KernelConstants.PageSize - 1)) != 0)
                {
                    throw new KernelException("the kernel-state region of the move has a bad page list");
                }

                pages.Add((va, (PagePermissions)(word & ~(3 << RouteShift))));
            }

            ThreadEntry[] threads = reader.Structs<ThreadEntry>(KernelConstants.MaxThreads);
            JoinCondition[] joins = reader.Structs<JoinCondition>(KernelConstants.MaxThreads);
            ReturnValue[] returns = reader.Structs<ReturnValue>(KernelConstants.MaxThreads);
            uint[] tops = reader.Structs<uint>(KernelConstants.MaxThreads);
            RunQueue queue = reader.Struct<RunQueue>();
            ThreadControl control = reader.Struct<ThreadControl>();
            MutexEntry[] mutexes = reader.Structs<MutexEntry>(KernelConstants.MaxSyncObjects);
            SemaphoreEntry[] semaphores = reader.Structs<SemaphoreEntry>(KernelConstants.MaxSyncObjects);
            ConditionEntry[] conditions = reader.Structs<ConditionEntry>(KernelConstants.MaxSyncObjects);
            var contexts = new RegisterContext[KernelConstants.MaxThreads];
            for (int t = 0; t < threads.Length; t++)
            {
                if (threads[t].State is ThreadStatus.Ready or ThreadStatus.Blocked)
                {
                    contexts[t] = reader.Struct<RegisterContext>();
                }
            }

            var mailboxes = new List<MailboxImage>(mailboxCount);
            for (int i = 0; i < mailboxCount; i++)
            {
                int index = reader.Int();
                int messages = reader.Int();
                int ordering = reader.Int();
                MailboxEntry entry = reader.Struct<MailboxEntry>();
                mailboxes.Add(new MailboxImage(index, entry, reader.Bytes(messages), reader.Bytes(ordering)));
            }

            List<PortalImage> portals = [.. reader.Structs<PortalImage>(portalCount)];
            List<SyncImage> syncs = [.. reader.Structs<SyncImage>(syncCount)];

            return new ProcessSnapshot
            {
                Record = record,
                Pages = pages,
                Threads = threads,
                Joins = joins,
                Returns = returns,
                UserStackTops = tops,
                Contexts = contexts,
                RunQueue = queue,
                Control = control,
                Mutexes = mutexes,
                Semaphores = semaphores,
                Conditions = conditions,
                Mailboxes = mailboxes,
                Portals = portals,
                SyncPoints = syncs,
                StackPages = stackPages,
                Routes = routes,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new KernelException("the kernel-state region of the move is truncated");
        }
    }

    private static int Size<T>()
        where T : struct => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private ref struct Writer(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _at;

        public void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_destination[_at..], value);
            _at += 4;
        }

        public void Struct<T>(T value)
            where T : unmanaged
        {
            MemoryMarshal.Write(_destination[_at..], in value);
            _at += System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        }

        public void Structs<T>(scoped ReadOnlySpan<T> values)
            where T : unmanaged => Bytes(MemoryMarshal.AsBytes(values));

        public void Bytes(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[_at..]);
            _at += bytes.Length;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private int _at;

        public int Int()
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(_source[_at..]);
            _at += 4;
            return value;
        }

        public T Struct<T>()
            where T : unmanaged => Structs<T>(1)[0];

        public T[] Structs<T>(int count)
            where T : unmanaged
        {
            int bytes = count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            T[] values = MemoryMarshal.Cast<byte, T>(_source.Slice(_at, bytes)).ToArray();
            _at += bytes;
            return values;
        }

        public byte[] Bytes(int count)
        {
            byte[] bytes = _source.Slice(_at, count).ToArray();
            _at += count;
            return bytes;
        }
    }
}
