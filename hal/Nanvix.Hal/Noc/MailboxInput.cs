namespace Nanvix.Hal.Noc;

/// <summary>
/// A node's mailbox input. Payloads are copied into fixed slots owned by the input when they are written (the
/// sender's buffer is free again at once, as with Nanvix's mailbox write) and handed out in arrival order. The slot
/// storage is allocated once when the input is created, so a message costs no allocation. A slot is taken from the
/// write until the message is read; when none is free the receiver is full and the write is refused.
/// </summary>
internal sealed class MailboxInput : NocEndpoint, IMailboxInput
{
    private readonly MailboxNetwork _network;
    private readonly int _payloadBytes;
    private readonly byte[] _storage;
    private readonly int[] _length;
    private readonly int[] _source;
    private readonly int[] _transferId;
    private readonly ulong[] _arrivedAt;
    private readonly int[] _free;
    private readonly int[] _ready;
    private int _freeCount;
    private int _readyHead;
    private int _readyCount;

    public MailboxInput(MailboxNetwork network, int localNode, int payloadBytes, int slots)
        : base(localNode, "mailbox input")
    {
        _network = network;
        _payloadBytes = payloadBytes;
        _storage = new byte[payloadBytes * slots];
        _length = new int[slots];
        _source = new int[slots];
        _transferId = new int[slots];
        _arrivedAt = new ulong[slots];
        _free = new int[slots];
        _ready = new int[slots];

        // Lowest slot on top of the free stack: slot numbers follow the order of the first writes.
        for (int i = 0; i < slots; i++)
        {
            _free[i] = slots - 1 - i;
        }

        _freeCount = slots;
    }

    /// <inheritdoc/>
    public int Available
    {
        get
        {
            ThrowIfClosed();
            return _readyCount;
        }
    }

    /// <summary>True when every slot holds a message in flight or unread.</summary>
    internal bool IsFull => _freeCount == 0;

    /// <inheritdoc/>
    public bool TryRead(Span<byte> payload, out MailboxMessage message)
    {
        ThrowIfClosed();
        if (_readyCount == 0)
        {
            message = default;
            return false;
        }

        int slot = _ready[_readyHead];
        int length = _length[slot];
        if (payload.Length < length)
        {
            throw new NocException(
                $"{this}: the next message has {length} bytes, the read buffer holds only {payload.Length}");
        }

        _storage.AsSpan(slot * _payloadBytes, length).CopyTo(payload);
        message = new MailboxMessage(_source[slot], length, _transferId[slot], _arrivedAt[slot]);
        _readyHead = (_readyHead + 1) % _ready.Length;
        _readyCount--;
        _free[_freeCount++] = slot;
        return true;
    }

    /// <summary>Takes a free slot for a message posted now and copies its payload there; the caller checked <see cref="IsFull"/>.</summary>
    internal int Reserve(int source, ReadOnlySpan<byte> payload, int transferId)
    {
        int slot = _free[--_freeCount];
        payload.CopyTo(_storage.AsSpan(slot * _payloadBytes, _payloadBytes));
        _length[slot] = payload.Length;
        _source[slot] = source;
        _transferId[slot] = transferId;
        return slot;
    }

    /// <summary>The message in <paramref name="slot"/> arrived: it becomes readable after every earlier arrival.</summary>
    internal void Arrive(int slot, ulong cycle)
    {
        _arrivedAt[slot] = cycle;
        _ready[(_readyHead + _readyCount) % _ready.Length] = slot;
        _readyCount++;
    }

    /// <summary>The message in <paramref name="slot"/> was lost on the wires: it never becomes readable and its slot is free again.</summary>
    internal void Drop(int slot) => _free[_freeCount++] = slot;

    protected override void OnClosed() => _network.OnClosed(this);
}
