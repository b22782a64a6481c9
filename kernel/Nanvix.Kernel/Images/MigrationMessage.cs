using System.Buffers.Binary;
using System.Text;
using Nanvix.Kernel.Layout;

namespace Nanvix.Kernel.Images;

/// <summary>
/// What migration daemons tell each other, by mailbox to the kernel port. Every message names the move it is about —
/// the pid, the number of that move of the process (<see cref="Layout.ThreadControl.Moves"/>) and the node the process
/// leaves — so that a daemon needs nothing but the message to know what it means, and a message of another move of the
/// same process is never taken for this one. Layout (little-endian):
/// <code>
///  0  marker (no service answer starts with it: answers start with a request id, never negative)
///  4  kind          8  pid          12  move number      16  node the process leaves      20  node the message comes from
/// 24  Manifest: bytes of kernel state (4), user pages (4), 1 when the process asked for the move itself (4)
/// 24  Refused, Failed: length of the reason (2), the reason in UTF-8 (cut to what a message holds)
/// 24  Done: cycle the last region landed (8), restore cycles (8), cycle the threads are ready on the target (8)
/// 24  Evicted, Cancelled: nothing more
/// 24  PrecopyBatch: batch number (4), pages (4), 1 when the process asked for the move itself (4)
/// 24  PageRequest: virtual page (4), 1 when a thread waits for it (4)
/// 24  PagesPulled: pages pulled (4), of them waited for (4), cycles threads waited for them (8), cycle the last landed (8)
/// 24  PortalsMoved: node the process moved to (4), count (1), per portal: input 1 / output 0 (1), port (1), remote node (2)
/// </code>
/// </summary>
public static class MigrationMessage
{
    /// <summary>Bytes of the header every kind starts with.</summary>
    public const int Bytes = 24;

    /// <summary>Largest message: the kernel's mailbox payload (a service message's size).</summary>
    public const int MaxBytes = 120;

    private const int Marker = int.MinValue + 0x4D49;

    public static bool Is(ReadOnlySpan<byte> body) => body.Length >= Bytes && BinaryPrimitives.ReadInt32LittleEndian(body) == Marker;

    /// <summary>The header of any message.</summary>
    public static MoveHeader Header(ReadOnlySpan<byte> body) => new(
        (MigrationMessageKind)BinaryPrimitives.ReadInt32LittleEndian(body[4..]),
        new MoveId(BinaryPrimitives.ReadInt32LittleEndian(body[8..]), BinaryPrimitives.ReadInt32LittleEndian(body[12..]), BinaryPrimitives.ReadInt32LittleEndian(body[16..])),
        BinaryPrimitives.ReadInt32LittleEndian(body[20..]));

    private static void WriteHeader(Span<byte> body, MigrationMessageKind kind, MoveId move, int sender)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body, Marker);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], (int)kind);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], move.Pid);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], move.Number);
        BinaryPrimitives.WriteInt32LittleEndian(body[16..], move.Source);
        BinaryPrimitives.WriteInt32LittleEndian(body[20..], sender);
    }

    /// <summary>Writes a manifest; returns its length.</summary>
    public static int WriteManifest(Span<byte> body, MoveId move, int regionBytes, int pageCount, bool byProcess)
    {
        WriteHeader(body, MigrationMessageKind.Manifest, move, move.Source);
        BinaryPrimitives.WriteInt32LittleEndian(body[24..], regionBytes);
        BinaryPrimitives.WriteInt32LittleEndian(body[28..], pageCount);
        BinaryPrimitives.WriteInt32LittleEndian(body[32..], byProcess ? 1 : 0);
        return 36;
    }

    public static (int RegionBytes, int PageCount, bool ByProcess) ReadManifest(ReadOnlySpan<byte> body) => body.Length < 36
        ? (0, 0, false)
        : (BinaryPrimitives.ReadInt32LittleEndian(body[24..]), BinaryPrimitives.ReadInt32LittleEndian(body[28..]), BinaryPrimitives.ReadInt32LittleEndian(body[32..]) != 0);

    /// <summary>Writes a pre-copy batch's notice (its page list and pages follow by portal); returns its length.</summary>
    public static int WritePrecopyBatch(Span<byte> body, MoveId move, int batch, int pages, bool byProcess)
    {
        WriteHeader(body, MigrationMessageKind.PrecopyBatch, move, move.Source);
        BinaryPrimitives.WriteInt32LittleEndian(body[24..], batch);
        BinaryPrimitives.WriteInt32LittleEndian(body[28..], pages);
        BinaryPrimitives.WriteInt32LittleEndian(body[32..], byProcess ? 1 : 0);
        return 36;
    }

    public static (int Batch, int Pages, bool ByProcess) ReadPrecopyBatch(ReadOnlySpan<byte> body) => ReadManifest(body);

    /// <summary>Writes a <see cref="MigrationMessageKind.PrecopyFull"/> notice (target to source); returns its length.</summary>
    public static int WritePrecopyFull(Span<byte> body, MoveId move, int sender)
    {
        WriteHeader(body, MigrationMessageKind.PrecopyFull, move, sender);
        return Bytes;
    }

    /// <summary>Writes a <see cref="MigrationMessageKind.Cancelled"/> notice: the source called its pre-copy move off; returns its length.</summary>
    public static int WriteCancelled(Span<byte> body, MoveId move)
    {
        WriteHeader(body, MigrationMessageKind.Cancelled, move, move.Source);
        return Bytes;
    }

    /// <summary>Writes a <see cref="MigrationMessageKind.Refused"/> or <see cref="MigrationMessageKind.Failed"/> answer with its reason; returns its length.</summary>
    public static int WriteRefusal(Span<byte> body, MigrationMessageKind kind, MoveId move, int sender, string reason)
    {
        WriteHeader(body, kind, move, sender);
        int room = Math.Min(body.Length, MaxBytes) - 26;
        ReadOnlySpan<char> text = reason;
        while (Encoding.UTF8.GetByteCount(text) > room)
        {
            text = text[..^1];
        }

        int length = Encoding.UTF8.GetBytes(text, body[26..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[24..], (ushort)length);
        return 26 + length;
    }

    public static string ReadRefusal(ReadOnlySpan<byte> body)
    {
        int length = body.Length >= 26 ? Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(body[24..]), body.Length - 26) : 0;
        return Encoding.UTF8.GetString(body.Slice(26, Math.Max(0, length)));
    }

    /// <summary>Writes a <see cref="MigrationMessageKind.Done"/> answer with the target's half of the report; returns its length.</summary>
    public static int WriteDone(Span<byte> body, MoveId move, int sender, ulong arrived, ulong restoreCycles, ulong ready)
    {
        WriteHeader(body, MigrationMessageKind.Done, move, sender);
        BinaryPrimitives.WriteUInt64LittleEndian(body[24..], arrived);
        BinaryPrimitives.WriteUInt64LittleEndian(body[32..], restoreCycles);
        BinaryPrimitives.WriteUInt64LittleEndian(body[40..], ready);
        return 48;
    }

    public static (ulong Arrived, ulong RestoreCycles, ulong Ready) ReadDone(ReadOnlySpan<byte> body) => body.Length < 48
        ? (0, 0, 0)
        : (BinaryPrimitives.ReadUInt64LittleEndian(body[24..]), BinaryPrimitives.ReadUInt64LittleEndian(body[32..]), BinaryPrimitives.ReadUInt64LittleEndian(body[40..]));

    /// <summary>Writes a post-copy page request (target to source); returns its length.</summary>
    public static int WritePageRequest(Span<byte> body, MoveId move, int sender, uint page, bool demand)
    {
        WriteHeader(body, MigrationMessageKind.PageRequest, move, sender);
        BinaryPrimitives.WriteUInt32LittleEndian(body[24..], page);
        BinaryPrimitives.WriteInt32LittleEndian(body[28..], demand ? 1 : 0);
        return 32;
    }

    public static (uint Page, bool Demand) ReadPageRequest(ReadOnlySpan<byte> body) => body.Length < 32
        ? (0, false)
        : (BinaryPrimitives.ReadUInt32LittleEndian(body[24..]), BinaryPrimitives.ReadInt32LittleEndian(body[28..]) != 0);

    /// <summary>Writes the figures of a post-copy move once every page is pulled (target to source); returns its length.</summary>
    public static int WritePagesPulled(Span<byte> body, MoveId move, int sender, int pulled, int demanded, ulong stallCycles, ulong lastCycle)
    {
        WriteHeader(body, MigrationMessageKind.PagesPulled, move, sender);
        BinaryPrimitives.WriteInt32LittleEndian(body[24..], pulled);
        BinaryPrimitives.WriteInt32LittleEndian(body[28..], demanded);
        BinaryPrimitives.WriteUInt64LittleEndian(body[32..], stallCycles);
        BinaryPrimitives.WriteUInt64LittleEndian(body[40..], lastCycle);
        return 48;
    }

    public static (int Pulled, int Demanded, ulong StallCycles, ulong LastCycle) ReadPagesPulled(ReadOnlySpan<byte> body) => body.Length < 48
        ? (0, 0, 0, 0)
        : (BinaryPrimitives.ReadInt32LittleEndian(body[24..]), BinaryPrimitives.ReadInt32LittleEndian(body[28..]), BinaryPrimitives.ReadUInt64LittleEndian(body[32..]), BinaryPrimitives.ReadUInt64LittleEndian(body[40..]));

    /// <summary>Writes an <see cref="MigrationMessageKind.Evicted"/> answer to a Done; returns its length.</summary>
    public static int WriteEvicted(Span<byte> body, MoveId move, int sender)
    {
        WriteHeader(body, MigrationMessageKind.Evicted, move, sender);
        return Bytes;
    }

    /// <summary>Writes a <see cref="MigrationMessageKind.PortalsMoved"/> notice; returns its length.</summary>
    public static int WritePortalsMoved(Span<byte> body, MoveId move, int to, IReadOnlyList<Ikc.PortalImage> portals)
    {
        WriteHeader(body, MigrationMessageKind.PortalsMoved, move, to);
        BinaryPrimitives.WriteInt32LittleEndian(body[24..], to);
        body[28] = (byte)portals.Count;
        int at = 29;
        foreach (Ikc.PortalImage portal in portals)
        {
            body[at] = portal.Entry.Kind == PortalEntry.Input ? (byte)1 : (byte)0;
            body[at + 1] = (byte)portal.Entry.Port;
            BinaryPrimitives.WriteInt16LittleEndian(body[(at + 2)..], (short)portal.Entry.Remote);
            at += 4;
        }

        return at;
    }

    /// <summary>The node a notice's process moved to, and its portal entries into <paramref name="entries"/>; how many.</summary>
    public static int ReadPortalsMoved(ReadOnlySpan<byte> body, Span<(bool Input, int Port, int Remote)> entries, out int to)
    {
        to = body.Length >= 28 ? BinaryPrimitives.ReadInt32LittleEndian(body[24..]) : -1;
        int count = Math.Min(Math.Min(body.Length > 28 ? body[28] : 0, entries.Length), Math.Max(0, body.Length - 29) / 4);
        for (int i = 0; i < count; i++)
        {
            int at = 29 + (i * 4);
            entries[i] = (body[at] != 0, body[at + 1], BinaryPrimitives.ReadInt16LittleEndian(body[(at + 2)..]));
        }

        return count;
    }
}

/// <summary>Names one move: process <see cref="Pid"/>'s move number <see cref="Number"/>, leaving NoC node <see cref="Source"/>.</summary>
public readonly record struct MoveId(int Pid, int Number, int Source);

/// <summary>What every migration message starts with: its kind, the move it is about, and the node it comes from.</summary>
public readonly record struct MoveHeader(MigrationMessageKind Kind, MoveId Move, int Sender);

/// <summary>The kinds of <see cref="MigrationMessage"/>.</summary>
public enum MigrationMessageKind
{
    /// <summary>Source to target: a process is coming (its regions follow by portal).</summary>
    Manifest = 1,

    /// <summary>Target to source: it cannot take the process; it goes on at the source.</summary>
    Refused = 2,

    /// <summary>Target to source: a region was lost on the NoC; the process goes on at the source.</summary>
    Failed = 3,

    /// <summary>Target to source: the process runs here now; free it there.</summary>
    Done = 4,

    /// <summary>Target to every kernel: a process with portals moved; its peers' portals follow it.</summary>
    PortalsMoved = 5,

    /// <summary>Source to target, after Done: the process is freed at the source; from now on it may move on.</summary>
    Evicted = 6,

    /// <summary>Source to target, while the process runs: a batch of a pre-copy round (its page list and pages follow by portal).</summary>
    PrecopyBatch = 7,

    /// <summary>Source to target: the pre-copy move is called off (the process ended, or cannot be frozen); drop what came of it.</summary>
    Cancelled = 8,

    /// <summary>Target to source, after a post-copy move: send this page of the process (on portal channel 2).</summary>
    PageRequest = 9,

    /// <summary>Target to source: every page of the post-copy move is here; the figures for its report.</summary>
    PagesPulled = 10,

    /// <summary>Target to source, during pre-copy rounds: no frames are left here for the next batch; freeze and send the rest.</summary>
    PrecopyFull = 11,
}
