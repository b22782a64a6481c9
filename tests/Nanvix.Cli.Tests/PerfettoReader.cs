using System.Text;

namespace Nanvix.Cli.Tests;

/// <summary>
/// A reader of the Perfetto traces <c>nanvix run --trace</c> writes, written from the protobuf wire format and
/// Perfetto's field numbers, independent of the writer: the tracks by uuid and name, and every track event.
/// </summary>
internal sealed class PerfettoReader
{
    public Dictionary<ulong, (string Name, ulong Parent, bool Counter)> Tracks { get; } = [];

    public List<(ulong Time, int Type, ulong Track, string? Name, List<ulong> Flows, List<ulong> Terminating, Dictionary<string, long> Arguments, long Counter)> Events { get; } = [];

    public int SequenceFlagsOfFirstPacket { get; private set; } = -1;

    public static PerfettoReader Read(byte[] bytes)
    {
        var reader = new PerfettoReader();
        foreach ((int field, _, ReadOnlyMemory<byte> packet) in Fields(bytes))
        {
            Assert.Equal(1, field);
            reader.Packet(packet.Span);
        }

        return reader;
    }

    private void Packet(ReadOnlySpan<byte> packet)
    {
        ulong time = 0;
        bool first = SequenceFlagsOfFirstPacket < 0;
        SequenceFlagsOfFirstPacket = Math.Max(SequenceFlagsOfFirstPacket, 0);
        foreach ((int field, ulong value, ReadOnlyMemory<byte> body) in Fields(packet.ToArray()))
        {
            switch (field)
            {
                case 8:
                    time = value;
                    break;
                case 10:
                    Assert.NotEqual(0UL, value);
                    break;
                case 13 when first:
                    SequenceFlagsOfFirstPacket = (int)value;
                    break;
                case 60:
                    Descriptor(body.Span);
                    break;
                case 11:
                    Event(time, body.Span);
                    break;
            }
        }
    }

    private void Descriptor(ReadOnlySpan<byte> descriptor)
    {
        ulong uuid = 0;
        ulong parent = 0;
        string name = "";
        bool counter = false;
        foreach ((int field, ulong value, ReadOnlyMemory<byte> body) in Fields(descriptor.ToArray()))
        {
            switch (field)
            {
                case 1:
                    uuid = value;
                    break;
                case 2:
                    name = Encoding.UTF8.GetString(body.Span);
                    break;
                case 3 or 4:
                    foreach ((int inner, _, ReadOnlyMemory<byte> text) in Fields(body.ToArray()))
                    {
                        if (inner is 5 or 6)
                        {
                            name = Encoding.UTF8.GetString(text.Span);
                        }
                    }

                    break;
                case 5:
                    parent = value;
                    break;
                case 8:
                    counter = true;
                    break;
            }
        }

        Tracks.Add(uuid, (name, parent, counter));
    }

    private void Event(ulong time, ReadOnlySpan<byte> trackEvent)
    {
        int type = 0;
        ulong track = 0;
        string? name = null;
        long counter = 0;
        var flows = new List<ulong>();
        var terminating = new List<ulong>();
        var arguments = new Dictionary<string, long>();
        foreach ((int field, ulong value, ReadOnlyMemory<byte> body) in Fields(trackEvent.ToArray()))
        {
            switch (field)
            {
                case 9:
                    type = (int)value;
                    break;
                case 11:
                    track = value;
                    break;
                case 23:
                    name = Encoding.UTF8.GetString(body.Span);
                    break;
                case 30:
                    counter = (long)value;
                    break;
                case 47:
                    flows.Add(value);
                    break;
                case 48:
                    terminating.Add(value);
                    break;
                case 4:
                    string key = "";
                    long number = 0;
                    foreach ((int inner, ulong innerValue, ReadOnlyMemory<byte> text) in Fields(body.ToArray()))
                    {
                        if (inner == 10)
                        {
                            key = Encoding.UTF8.GetString(text.Span);
                        }
                        else if (inner == 4)
                        {
                            number = (long)innerValue;
                        }
                    }

                    arguments[key] = number;
                    break;
            }
        }

        Events.Add((time, type, track, name, flows, terminating, arguments, counter));
    }

    /// <summary>The fields of one message: number, the value of a varint or fixed64, the bytes of a length-delimited field.</summary>
    private static List<(int Field, ulong Value, ReadOnlyMemory<byte> Body)> Fields(byte[] bytes)
    {
        var fields = new List<(int, ulong, ReadOnlyMemory<byte>)>();
        int at = 0;
        while (at < bytes.Length)
        {
            ulong key = Varint(bytes, ref at);
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    fields.Add((field, Varint(bytes, ref at), default));
                    break;
                case 1:
                    fields.Add((field, BitConverter.ToUInt64(bytes, at), default));
                    at += 8;
                    break;
                case 2:
                    int length = (int)Varint(bytes, ref at);
                    fields.Add((field, 0, bytes.AsMemory(at, length)));
                    at += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7} at byte {at}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
