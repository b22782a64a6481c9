using System.Buffers.Binary;

namespace Nanvix.Kernel.Migration;

/// <summary>
/// What migration daemons tell each other, by mailbox to the kernel port: a marker no service answer starts with
/// (answers start with a request id, never negative), the kind, the pid, and for a manifest the size of the
/// kernel-state region and the number of user pages that follow by portal.
/// </summary>
public static class MigrationMessage
{
    public const int Bytes = 20;

    private const int Marker = int.MinValue + 0x4D49;

    public static bool Is(ReadOnlySpan<byte> body) => body.Length >= Bytes && BinaryPrimitives.ReadInt32LittleEndian(body) == Marker;

    public static void Write(Span<byte> body, MigrationMessageKind kind, int pid, int regionBytes = 0, int pageCount = 0)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body, Marker);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], (int)kind);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], regionBytes);
        BinaryPrimitives.WriteInt32LittleEndian(body[16..], pageCount);
    }

    public static (MigrationMessageKind Kind, int Pid, int RegionBytes, int PageCount) Read(ReadOnlySpan<byte> body) =>
        ((MigrationMessageKind)BinaryPrimitives.ReadInt32LittleEndian(body[4..]), BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[12..]), BinaryPrimitives.ReadInt32LittleEndian(body[16..]));
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
}
