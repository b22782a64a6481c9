namespace Nanvix.Arch.Cache;

/// <summary>
/// A model of one set-associative cache with true LRU replacement, on physical addresses: it keeps tags, not data, and
/// counts hits and misses (split into compulsory, capacity and conflict) for user and kernel accesses apart.
/// <para>
/// Timing rule (used by the core): an access stalls for the miss penalty when it misses and fills a line, that is, any
/// read miss and, under <see cref="WritePolicy.WriteBackAllocate"/>, a write miss. Under write-through no-allocate
/// (the k1b's D$) a store to a resident line is a hit and a store to any other line is a write around
/// (<see cref="CacheStatistics.WritesAround"/>): no fill, no miss, no stall (assumption: the k1b write buffer always
/// has room), and no change to the LRU order or to the first-fill history. Write-backs of dirty victims are counted,
/// not timed (assumption).
/// </para>
/// </summary>
public sealed class CacheModel
{
    private const uint NoLine = uint.MaxValue;

    private readonly int _lineShift;
    private readonly uint _setMask;
    private readonly int _ways;
    private readonly bool _allocateOnWrite;
    private readonly uint[] _tags;
    private readonly ulong[] _stamps;
    private readonly bool[] _valid;
    private readonly bool[] _dirty;
    private readonly ulong[] _seen;
    private readonly FullyAssociativeLru _shadow;
    private ulong _clock;

    // The line of the last access when it is resident, and its way: it is then the most recently used line of its set
    // and of the shadow, so another access to it changes no LRU order (the common case of sequential fetches).
    private uint _lastLine = NoLine;
    private int _lastWay;
    private CacheStatistics _user;
    private CacheStatistics _kernel;

    /// <param name="geometry">Shape of the cache.</param>
    /// <param name="physicalSize">Bytes of physical memory the cache sits in front of (sizes the first-touch bitmap).</param>
    public CacheModel(CacheGeometry geometry, uint physicalSize)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        Geometry = geometry;
        _lineShift = System.Numerics.BitOperations.Log2((uint)geometry.LineBytes);
        _setMask = (uint)geometry.Sets - 1;
        _ways = geometry.Ways;
        _allocateOnWrite = geometry.WritePolicy == WritePolicy.WriteBackAllocate;
        _tags = new uint[geometry.Lines];
        _stamps = new ulong[geometry.Lines];
        _valid = new bool[geometry.Lines];
        _dirty = new bool[geometry.Lines];
        ulong lines = ((ulong)physicalSize + (ulong)geometry.LineBytes - 1) >> _lineShift;
        _seen = new ulong[(lines + 63) / 64];
        _shadow = new FullyAssociativeLru(geometry.Lines, (int)lines);
    }

    public CacheGeometry Geometry { get; }

    /// <summary>Counts of user accesses.</summary>
    public CacheStatistics User => _user;

    /// <summary>Counts of kernel accesses.</summary>
    public CacheStatistics Kernel => _kernel;

    /// <summary>
    /// Models one access to the line holding <paramref name="physicalAddress"/>; true when it stalls for a line fill.
    /// </summary>
    [KernelHotPath]
    public bool Access(uint physicalAddress, bool isWrite, AccessSource source)
    {
        ref CacheStatistics stats = ref source == AccessSource.User ? ref _user : ref _kernel;
        stats.Accesses++;
        uint line = physicalAddress >> _lineShift;
        if (line == _lastLine)
        {
            _dirty[_lastWay] |= isWrite && _allocateOnWrite;
            stats.Hits++;
            return false;
        }

        _clock++;
        int first = (int)(line & _setMask) * _ways;
        bool allocate = !isWrite || _allocateOnWrite;
        bool shadowHit = _shadow.Access(line, allocate);

        for (int way = first; way < first + _ways; way++)
        {
            if (_valid[way] && _tags[way] == line)
            {
                _stamps[way] = _clock;
                _dirty[way] |= isWrite && _allocateOnWrite;
                stats.Hits++;
                _lastLine = shadowHit ? line : NoLine;
                _lastWay = way;
                return false;
            }
        }

        if (!allocate)
        {
            stats.WritesAround++;
            _lastLine = NoLine;
            return false;
        }

        if (MarkSeen(line))
        {
            stats.CompulsoryMisses++;
        }
        else if (!shadowHit)
        {
            stats.CapacityMisses++;
        }
        else
        {
            stats.ConflictMisses++;
        }

        int victim = first;
        for (int way = first; way < first + _ways; way++)
        {
            if (!_valid[way])
            {
                victim = way;
                break;
            }

            if (_stamps[way] < _stamps[victim])
            {
                victim = way;
            }
        }

        if (_valid[victim] && _dirty[victim])
        {
            stats.Writebacks++;
        }

        _valid[victim] = true;
        _tags[victim] = line;
        _stamps[victim] = _clock;
        _dirty[victim] = isWrite;
        _lastLine = line;
        _lastWay = victim;
        return true;
    }

    /// <summary>Line number (physical address shifted right by this) as the model computes it.</summary>
    internal int LineShift => _lineShift;

    /// <summary>True when a write hit marks its line dirty (write-back); a repeated write is then not a bare hit.</summary>
    internal bool AllocatesOnWrite => _allocateOnWrite;

    /// <summary>
    /// The line that <see cref="Access"/> would take its no-change shortcut for (resident, most recently used in its
    /// set and in the shadow), or <see cref="uint.MaxValue"/> when there is none.
    /// </summary>
    internal uint LastLine => _lastLine;

    /// <summary>
    /// Counts <paramref name="hits"/> user reads of <see cref="LastLine"/> (or writes, when not
    /// <see cref="AllocatesOnWrite"/>) done without calling <see cref="Access"/>: the same counts those calls would make.
    /// </summary>
    internal void CountUserLineHits(ulong hits)
    {
        _user.Accesses += hits;
        _user.Hits += hits;
    }

    /// <summary>Invalidates every line (the k1b's cache invalidate); counters and first-touch history are kept.</summary>
    public void Invalidate()
    {
        Array.Clear(_valid);
        Array.Clear(_dirty);
        _shadow.Clear();
        _lastLine = NoLine;
    }

    /// <summary>Zeroes the counters and forgets which lines were ever touched; contents are kept.</summary>
    public void ResetStatistics()
    {
        _user = default;
        _kernel = default;
        Array.Clear(_seen);
    }

    /// <summary>Records a first touch; true when the line was never touched before.</summary>
    private bool MarkSeen(uint line)
    {
        uint word = line >> 6;
        if (word >= _seen.Length)
        {
            return false; // outside the physical memory it was sized for: not classed as compulsory.
        }

        ulong bit = 1UL << (int)(line & 63);
        bool first = (_seen[word] & bit) == 0;
        _seen[word] |= bit;
        return first;
    }
}
