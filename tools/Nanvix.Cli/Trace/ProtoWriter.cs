using System.Text;

namespace Nanvix.Cli.Trace;

/// <summary>
/// The protocol-buffer wire format, as much of it as a trace needs: varints, 64-bit fixed values, length-delimited
/// strings and nested messages (written into a buffer of their own, then framed by their length).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _bytes = new();

    public int Length => (int)_bytes.Length;

    public void Varint(int field, ulong value)
    {
        Key(field, 0);
        Raw(value);
    }

    public void Signed(int field, long value) => Varint(field, unchecked((ulong)value));

    public void Fixed64(int field, ulong value)
    {
        Key(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _bytes.Write(bytes);
    }

    public void String(int field, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Key(field, 2);
        Raw((ulong)bytes.Length);
        _bytes.Write(bytes);
    }

    public void Message(int field, ProtoWriter message)
    {
        Key(field, 2);
        Raw((ulong)message.Length);
        message._bytes.Position = 0;
        message._bytes.CopyTo(_bytes);
    }

    public void CopyTo(Stream stream)
    {
        _bytes.Position = 0;
        _bytes.CopyTo(stream);
    }

    private void Key(int field, int wireType) => Raw(((ulong)field << 3) | (uint)wireType);

    private void Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.WriteByte((byte)value);
    }
}
