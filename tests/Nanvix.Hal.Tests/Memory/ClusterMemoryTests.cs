using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;

namespace Nanvix.Hal.Tests.Memory;

public sealed class ClusterMemoryTests : IDisposable
{
    private readonly ClusterMemory _memory = new("CC0", Mppa256.ComputeMemoryMap());

    private MemoryRegion User => _memory.Map[MemoryRegionNames.User];

    public void Dispose() => _memory.Dispose();

    public struct Pair
    {
        public uint First;
        public ulong Second;
    }

    [Fact]
    public void Typed_values_round_trip_at_any_offset_of_a_region()
    {
        _memory.Write(User.Base + 3, new Pair { First = 7, Second = 0x1122334455667788 });

        Pair read = _memory.Read<Pair>(User.Base + 3);

        Assert.Equal(7u, read.First);
        Assert.Equal(0x1122334455667788ul, read.Second);
    }

    [Fact]
    public void A_reference_points_into_the_buffer_itself()
    {
        ref uint word = ref _memory.At<uint>(User.Base);
        word = 0xCAFEBABE;

        Assert.Equal(0xCAFEBABEu, _memory.Read<uint>(User.Base));
        Assert.Equal(0xBE, _memory.Bytes(User.Base, 4)[0]);
    }

    [Fact]
    public void Memory_starts_zeroed()
    {
        Assert.True(_memory.Region(MemoryRegionNames.User).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Access_past_the_end_of_the_buffer_fails_with_the_cluster_and_offset()
    {
        var error = Assert.Throws<MemoryAccessException>(() => _memory.Read<uint>(_memory.Size - 2));

        Assert.Contains("CC0", error.Message);
        Assert.Contains("0x1ffffe", error.Message);
        Assert.Equal(_memory.Size - 2, error.Offset);
    }

    [Fact]
    public void Access_far_outside_the_buffer_fails_without_overflow()
    {
        Assert.Throws<MemoryAccessException>(() => _memory.Bytes(ulong.MaxValue - 1, 16));
    }

    [Fact]
    public void Access_across_a_region_boundary_fails_and_writes_nothing()
    {
        MemoryRegion pool = _memory.Map[MemoryRegionNames.KernelPool];

        var error = Assert.Throws<MemoryAccessException>(() => _memory.Write(pool.Base + pool.Size - 2, 0xFFFFFFFFu));

        Assert.Contains("crosses the end of region 'kernel-pool'", error.Message);
        Assert.Equal(0, _memory.Read<ushort>(pool.Base + pool.Size - 2));
        Assert.Equal(0, _memory.Read<ushort>(User.Base));
    }

    [Fact]
    public void Access_to_the_hypervisor_carve_out_fails()
    {
        var error = Assert.Throws<MemoryAccessException>(() => _memory.Read<byte>(0x100));

        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void Copy_between_clusters_moves_the_bytes()
    {
        using var other = new ClusterMemory("CC1", Mppa256.ComputeMemoryMap());
        byte[] pattern = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        pattern.CopyTo(_memory.Bytes(User.Base + 100, pattern.Length));

        _memory.CopyTo(User.Base + 100, other, User.Base + 7, pattern.Length);

        Assert.Equal(pattern, other.Bytes(User.Base + 7, pattern.Length).ToArray());
    }

    [Fact]
    public void Use_after_dispose_fails()
    {
        var memory = new ClusterMemory("CC2", Mppa256.ComputeMemoryMap());
        memory.Dispose();

        Assert.Throws<ObjectDisposedException>(() => memory.Read<int>(User.Base));
    }
}
