using System.Buffers.Binary;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// What migration daemons tell each other, by mailbox to the kernel port: a marker no service answer starts with
/// (answers start with a request id, never negative), the kind, the pid, the node it comes from, and for a manifest
/// the size of the kernel-state region and the number of user pages that follow by portal.
/// </summary>
public static class MigrationMessage
{
    public const int Bytes = 24;

    private const int Marker = int.MinValue + 0x4D49;

    public static bool Is(ReadOnlySpan<byte> body) => body.Length >= Bytes && BinaryPrimitives.ReadInt32LittleEndian(body) == Marker;

    public static void Write(Span<byte> body, MigrationMessageKind kind, int pid, int regionBytes = 0, int pageCount = 0, int sourceNode = -1)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body[20..], sourceNode);
        BinaryPrimitives.WriteInt32LittleEndian(body, Marker);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], (int)kind);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], regionBytes);
        BinaryPrimitives.WriteInt32LittleEndian(body[16..], pageCount);
    }

    /// <summary>Writes a <see cref="MigrationMessageKind.PortalsMoved"/> message; returns its length.</summary>
    public static int WritePortalsMoved(Span<byte> body, int pid, int from, int to, int seq, IReadOnlyList<Ikc.PortalImage> portals)
    {
        Write(body, MigrationMessageKind.PortalsMoved, pid, from, to);
        BinaryPrimitives.WriteInt32LittleEndian(body[Bytes..], seq);
        body[Bytes + 4] = (byte)portals.Count;
        int at = Bytes + 5;
        foreach (Ikc.PortalImage portal in portals)
        {
            body[at] = (byte)portal.IsInput;
            body[at + 1] = (byte)portal.Port;
            BinaryPrimitives.WriteInt16LittleEndian(body[(at + 2)..], (short)portal.Remote);
            at += 4;
        }

        return at;
    }

    /// <summary>The portal entries of a <see cref="MigrationMessageKind.PortalsMoved"/> message, into <paramref name="entries"/>; how many.</summary>
    public static int ReadPortalsMoved(ReadOnlySpan<byte> body, Span<(bool Input, int Port, int Remote)> entries, out int seq)
    {
        seq = body.Length >= Bytes + 5 ? BinaryPrimitives.ReadInt32LittleEndian(body[Bytes..]) : 0;
        int count = Math.Min(Math.Min(body.Length > Bytes + 4 ? body[Bytes + 4] : 0, entries.Length), Math.Max(0, body.Length - Bytes - 5) / 4);
        for (int i = 0; i < count; i++)
        {
            int at = Bytes + 5 + (i * 4);
            entries[i] = (body[at] != 0, body[at + 1], BinaryPrimitives.ReadInt16LittleEndian(body[(at + 2)..]));
        }

        return count;
    }

    /// <summary>The move number a <see cref="MigrationMessageKind.PortalsMoved"/> message carries.</summary>
    public static int SeqOfPortalsMoved(ReadOnlySpan<byte> body) => body.Length >= Bytes + 4 ? BinaryPrimitives.ReadInt32LittleEndian(body[Bytes..]) : 0;

    public static (MigrationMessageKind Kind, int Pid, int RegionBytes, int PageCount) Read(ReadOnlySpan<byte> body) =>
        ((MigrationMessageKind)BinaryPrimitives.ReadInt32LittleEndian(body[4..]), BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[12..]), BinaryPrimitives.ReadInt32LittleEndian(body[16..]));

    /// <summary>The node a message comes from (-1 when the sender did not say).</summary>
    public static int SourceOf(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadInt32LittleEndian(body[20..]);
}

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

    /// <summary>
    /// Target to every kernel: a process with portals moved from one node to another (in the two size fields); after
    /// the header, the number of that move of the process, a count and one entry per portal (input or output, port,
    /// remote node), for the peers to follow it.
    /// </summary>
    PortalsMoved = 5,
}
