using Nanvix.Arch.Cache;

namespace Nanvix.Arch.Tests.Cache;

/// <summary>Random access streams against a plain list-based reference of set-associative LRU and the three Cs.</summary>
public sealed class CacheModelPropertyTests
{
    [Theory]
    [InlineData(WritePolicy.WriteThroughNoAllocate, 1)]
    [InlineData(WritePolicy.WriteBackAllocate, 2)]
    [InlineData(WritePolicy.WriteThroughNoAllocate, 3)]
    public void Random_streams_match_the_reference(WritePolicy policy, int seed)
    {
        CacheGeometry geometry = new(256, 2, 16, policy); // 16 lines, 8 sets
        CacheModel cache = new(geometry, 4096);
        Reference reference = new(geometry);
        Random random = new(seed);
        for (int i = 0; i < 20_000; i++)
        {
            // Mostly a small hot region (hits, repeats of the same line), sometimes anywhere in 4 KB.
            uint address = random.Next(3) == 0 ? (uint)random.Next(4096) : (uint)random.Next(512);
            bool write = random.Next(4) == 0;
            AccessSource source = random.Next(5) == 0 ? AccessSource.Kernel : AccessSource.User;
            bool stall = cache.Access(address, write, source);
            Assert.Equal(reference.Access(address, write, source), stall);
        }

        Assert.Equal(reference.User, cache.User);
        Assert.Equal(reference.Kernel, cache.Kernel);
    }

    private sealed class Reference(CacheGeometry geometry)
    {
        private readonly List<uint>[] _sets = Enumerable.Range(0, geometry.Sets).Select(_ => new List<uint>()).ToArray();
        private readonly HashSet<uint> _dirty = [];
        private readonly List<uint> _shadow = [];
        private readonly HashSet<uint> _seen = [];
        public CacheStatistics User;
        public CacheStatistics Kernel;

        public bool Access(uint address, bool write, AccessSource source)
        {
            ref CacheStatistics s = ref source == AccessSource.User ? ref User : ref Kernel;
            s.Accesses++;
            uint line = address / (uint)geometry.LineBytes;
            bool allocate = !write || geometry.WritePolicy == WritePolicy.WriteBackAllocate;
            bool shadowHit = _shadow.Remove(line);
            if (shadowHit || allocate)
            {
                _shadow.Add(line); // most recently used last
                if (_shadow.Count > geometry.Lines)
                {
                    _shadow.RemoveAt(0);
                }
            }

            List<uint> set = _sets[line % (uint)geometry.Sets];
            if (set.Remove(line))
            {
                set.Add(line);
                s.Hits++;
                if (write && allocate)
                {
                    _dirty.Add(line);
                }

                return false;
            }

            if (!allocate)
            {
                s.WritesAround++;
                return false;
            }

            if (_seen.Add(line))
            {
                s.CompulsoryMisses++;
            }
            else if (!shadowHit)
            {
                s.CapacityMisses++;
            }
            else
            {
                s.ConflictMisses++;
            }

            set.Add(line);
            if (set.Count > geometry.Ways)
            {
                if (_dirty.Remove(set[0]))
                {
                    s.Writebacks++;
                }

                set.RemoveAt(0);
            }

            if (write)
            {
                _dirty.Add(line);
            }

            return true;
        }
    }
}
