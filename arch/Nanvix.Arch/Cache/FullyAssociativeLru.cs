namespace Nanvix.Arch.Cache;

/// <summary>
/// A fully associative LRU cache of line addresses, used as the shadow that tells capacity misses from conflict misses.
/// All storage is allocated up front: a slot index per line of physical memory (so a lookup is one array load; lines
/// beyond it are never resident) and per-slot stamps; the victim is found by a scan, which only runs on a shadow miss.
/// </summary>
internal sealed class FullyAssociativeLru
{
    private const int Absent = -1;

    private readonly int[] _slotOfLine;
    private readonly uint[] _lines;
    private readonly ulong[] _stamps;
    private int _used;
    private ulong _clock;

    /// <param name="capacity">Lines the shadow holds.</param>
    /// <param name="lineCount">Lines of physical memory.</param>
    public FullyAssociativeLru(int capacity, int lineCount)
    {
        _slotOfLine = new int[lineCount];
        Array.Fill(_slotOfLine, Absent);
        _lines = new uint[capacity];
        _stamps = new ulong[capacity];
    }

    /// <summary>Accesses <paramref name="line"/>; true on a hit. On a miss the line is brought in when <paramref name="allocate"/>.</summary>
    public bool Access(uint line, bool allocate)
    {
        _clock++;
        if (line >= (uint)_slotOfLine.Length)
        {
            return false;
        }

        int slot = _slotOfLine[line];
        if (slot != Absent)
        {
            _stamps[slot] = _clock;
            return true;
        }

        if (!allocate)
        {
            return false;
        }

        if (_used < _lines.Length)
        {
            slot = _used++;
        }
        else
        {
            slot = 0;
            for (int i = 1; i < _stamps.Length; i++)
            {
                if (_stamps[i] < _stamps[slot])
                {
                    slot = i;
                }
            }

            _slotOfLine[_lines[slot]] = Absent;
        }

        _lines[slot] = line;
        _stamps[slot] = _clock;
        _slotOfLine[line] = slot;
        return false;
    }

    public void Clear()
    {
        for (int i = 0; i < _used; i++)
        {
            _slotOfLine[_lines[i]] = Absent;
        }

        _used = 0;
    }
}
