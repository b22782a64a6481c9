using System.Buffers.Binary;

namespace Nanvix.Kernel.Ikc;

/// <summary>
/// What kernels tell each other about sync points whose process moved, by mailbox to the kernel port: a marker no
/// service answer or migration message starts with, the kind, the owner's pid, its descriptor number, and a value
/// (a count of releases, a node), plus the move number for <see cref="SyncMessageKind.Moved"/>.
/// </summary>
public static class SyncMessage
{
    public const int Bytes = 24;

    private const int Marker = int.MinValue + 0x5359;

    public static bool Is(ReadOnlySpan<byte> body) => body.Length >= Bytes && BinaryPrimitives.ReadInt32LittleEndian(body) == Marker;

    public static void Write(Span<byte> body, SyncMessageKind kind, int pid, int descriptor, int value, int move = 0)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body, Marker);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], (int)kind);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(body[12..], descriptor);
        BinaryPrimitives.WriteInt32LittleEndian(body[16..], value);
        BinaryPrimitives.WriteInt32LittleEndian(body[20..], move);
    }

    public static (SyncMessageKind Kind, int Pid, int Descriptor, int Value, int Move) Read(ReadOnlySpan<byte> body) => (
        (SyncMessageKind)BinaryPrimitives.ReadInt32LittleEndian(body[4..]), BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(body[12..]), BinaryPrimitives.ReadInt32LittleEndian(body[16..]), BinaryPrimitives.ReadInt32LittleEndian(body[20..]));
}

/// <summary>The kinds of <see cref="SyncMessage"/>.</summary>
public enum SyncMessageKind
{
    /// <summary>Home (or a forward) to the process: its sync point was released (value: how many times).</summary>
    Release = 1,

    /// <summary>The process to home: signal its sync point.</summary>
    Signal = 2,

    /// <summary>The process to home: it is at node (value) now, after its move (move).</summary>
    Moved = 3,

    /// <summary>The process to home: it closed the sync point (or ended); the endpoint there closes.</summary>
    Close = 4,
}
