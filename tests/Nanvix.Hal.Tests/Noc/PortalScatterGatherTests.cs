using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

/// <summary>
/// Portal scatter/gather: one transfer reads a list of source segments in order and writes the stream into a list of
/// destination segments in order, wherever each list cuts it.
/// </summary>
public sealed class PortalScatterGatherTests
{
    [Fact]
    public void Several_source_segments_arrive_byte_exact_in_several_destination_segments_cut_elsewhere()
    {
        using var rig = new NocRig();
        ulong src = rig.UserBase(CC1);
        ulong dst = rig.UserBase(CC0);

        // Sources out of address order and not adjacent; destinations cut the 10 000-byte stream at other places.
        MemorySegment[] source = [new(src + 0x8000, 3000), new(src + 0x100, 4096), new(src + 0x3003, 1), new(src + 0x5000, 2903)];
        MemorySegment[] destination = [new(dst + 0x6000, 5000), new(dst + 0x10, 100), new(dst + 0x2001, 4900)];
        rig.Fill(CC1, src, 0x10000, seed: 3);
        rig.Fill(CC0, dst, 0x10000, seed: 4);
        byte[] before = rig.MemoryOf(CC0).Bytes(dst, 0x10000).ToArray();
        byte[] expected = Gather(rig.MemoryOf(CC1), source);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        input.Allow(CC1, destination);
        int id = output.Write(source);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(expected, Gather(rig.MemoryOf(CC0), destination));
        AssertUntouchedOutside(rig.MemoryOf(CC0), dst, before, destination);
        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(1, rig.Noc.TransferCount);
        Assert.Equal(TransferState.Delivered, record.State);
        Assert.Equal((10000, 3, 10000 + (3 * Mppa256.PacketHeaderBytes)), (record.Bytes, record.Packets, record.WireBytes));
        Assert.True(input.TryComplete(out int bytes, out int completed));
        Assert.Equal((10000, id), (bytes, completed));
        Assert.False(input.IsAllowed);
        Assert.False(output.IsBusy);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(4097, 3, 5)]
    [InlineData(12345, 7, 4)]
    [InlineData(70001, 13, NetworkOnChip.MaxPortalSegments)]
    [InlineData(70001, NetworkOnChip.MaxPortalSegments, 2)]
    public void Odd_sizes_and_cuts_arrive_byte_exact(int size, int sourcePieces, int destinationPieces)
    {
        using var rig = new NocRig();
        MemorySegment[] source = Layout(rig.UserBase(CC5) + 1, Cut(size, sourcePieces, seed: 1), gap: 5);
        MemorySegment[] destination = Layout(rig.UserBase(CC0) + 3, Cut(size, destinationPieces, seed: 2), gap: 3);
        rig.Fill(CC5, rig.UserBase(CC5), 200_000, seed: size);
        rig.Fill(CC0, rig.UserBase(CC0), 200_000, seed: 11);
        byte[] before = rig.MemoryOf(CC0).Bytes(rig.UserBase(CC0), 200_000).ToArray();
        byte[] expected = Gather(rig.MemoryOf(CC5), source);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC5, CC0);

        // The write first this time: it waits for the allow, then lands.
        int id = output.Write(source);
        input.Allow(CC5, destination);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(expected, Gather(rig.MemoryOf(CC0), destination));
        AssertUntouchedOutside(rig.MemoryOf(CC0), rig.UserBase(CC0), before, destination);
        Assert.Equal(size, rig.Noc.Transfer(id).Bytes);
        Assert.Equal((size + Mppa256.PortalChunkBytes - 1) / Mppa256.PortalChunkBytes, rig.Noc.Transfer(id).Packets);
        Assert.True(input.TryComplete(out int bytes, out _));
        Assert.Equal(size, bytes);
    }

    [Fact]
    public void A_write_smaller_than_the_allowed_list_fills_it_from_its_start()
    {
        using var rig = new NocRig();
        ulong src = rig.UserBase(CC1);
        ulong dst = rig.UserBase(CC0);
        rig.Fill(CC1, src, 0x4000, seed: 5);
        rig.Fill(CC0, dst, 0x4000, seed: 6);
        byte[] before = rig.MemoryOf(CC0).Bytes(dst, 0x4000).ToArray();
        MemorySegment[] destination = [new(dst + 0x3000, 100), new(dst + 0x1000, 200), new(dst, 300)];
        MemorySegment[] source = [new(src + 0x2000, 125), new(src, 125)];
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        input.Allow(CC1, destination);
        output.Write(source);
        rig.Scheduler.RunUntilIdle();

        byte[] sent = Gather(rig.MemoryOf(CC1), source);
        ClusterMemory memory = rig.MemoryOf(CC0);
        Assert.Equal(sent[..100], memory.Bytes(dst + 0x3000, 100).ToArray());
        Assert.Equal(sent[100..], memory.Bytes(dst + 0x1000, 150).ToArray());
        Assert.Equal(before[0x1096..0x10c8], memory.Bytes(dst + 0x1096, 50).ToArray());
        Assert.Equal(before[..300], memory.Bytes(dst, 300).ToArray());
        Assert.True(input.TryComplete(out int bytes, out _));
        Assert.Equal(250, bytes);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware, 1)]
    [InlineData(NocTimingMode.Hardware, 6000)]
    [InlineData(NocTimingMode.Nanvix, 4097)]
    public void One_segment_lists_behave_exactly_like_the_plain_calls(NocTimingMode mode, int size)
    {
        using var plain = new NocRig(mode);
        using var listed = new NocRig(mode);
        (TransferRecord Record, byte[] Buffer, int Bytes) Run(NocRig rig, bool asList)
        {
            ulong source = rig.UserBase(CC10) + 7;
            ulong buffer = rig.UserBase(CC0) + 9;
            rig.Fill(CC10, source, size, seed: 8);
            using IPortalInput input = rig.Noc.CreatePortal(CC0);
            using IPortalOutput output = rig.Noc.OpenPortal(CC10, CC0);
            rig.Scheduler.RunUntil(100);
            if (asList)
            {
                input.Allow(CC10, [new MemorySegment(buffer, size + 10)]);
            }
            else
            {
                input.Allow(CC10, buffer, size + 10);
            }

            int id = asList ? output.Write([new MemorySegment(source, size)]) : output.Write(source, size);
            rig.Scheduler.RunUntilIdle();
            Assert.True(input.TryComplete(out int bytes, out _));
            return (rig.Noc.Transfer(id), rig.MemoryOf(CC0).Bytes(buffer, size + 10).ToArray(), bytes);
        }

        (TransferRecord Record, byte[] Buffer, int Bytes) expected = Run(plain, asList: false);
        (TransferRecord Record, byte[] Buffer, int Bytes) actual = Run(listed, asList: true);

        Assert.Equal(expected.Record, actual.Record);
        Assert.Equal(expected.Buffer, actual.Buffer);
        Assert.Equal(size, actual.Bytes);
    }

    [Fact]
    public void The_lists_are_copied_at_the_call_and_the_source_is_read_at_the_arrival()
    {
        using var rig = new NocRig();
        ulong src = rig.UserBase(CC1);
        ulong dst = rig.UserBase(CC0);
        MemorySegment[] destination = [new(dst + 0x1000, 300), new(dst, 700)];
        MemorySegment[] source = [new(src + 0x800, 600), new(src, 400)];
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        input.Allow(CC1, destination);
        int id = output.Write(source);
        MemorySegment[] posted = [.. source];
        MemorySegment[] allowed = [.. destination];

        // The caller reuses its arrays at once, and changes the source bytes before the arrival.
        Array.Fill(source, new MemorySegment(src + 0x4000, 500));
        Array.Fill(destination, new MemorySegment(dst + 0x4000, 500));
        rig.Fill(CC1, src, 0x1000, seed: 12);
        Assert.Equal(TransferState.InFlight, rig.Noc.Transfer(id).State);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(Gather(rig.MemoryOf(CC1), posted), Gather(rig.MemoryOf(CC0), allowed));
        Assert.True(rig.MemoryOf(CC0).Bytes(dst + 0x4000, 500).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void A_destination_segment_in_a_reserved_region_or_outside_memory_is_refused_and_nothing_is_allowed()
    {
        using var rig = new NocRig();
        ulong dst = rig.UserBase(CC0);
        ClusterMemory memory = rig.MemoryOf(CC0);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        int waiting = output.Write(rig.UserBase(CC1), 64);

        var reserved = Assert.Throws<MemoryAccessException>(() => input.Allow(CC1, [new(dst, 32), new(0, 32)]));
        Assert.Contains("reserved", reserved.Message);
        var outside = Assert.Throws<MemoryAccessException>(() => input.Allow(CC1, [new(dst, 32), new(memory.Size + 0x1000UL, 32)]));
        Assert.Contains("outside", outside.Message);
        ulong userEnd = memory.Map[MemoryRegionNames.User].End;
        var across = Assert.Throws<MemoryAccessException>(() => input.Allow(CC1, [new(dst, 32), new(userEnd - 16, 32)]));
        Assert.Contains("crosses the end", across.Message);

        // The write that was waiting still waits: no allow took it, and no byte moved.
        Assert.False(input.IsAllowed);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(waiting).State);
        Assert.True(memory.Bytes(dst, 64).IndexOfAnyExcept((byte)0) < 0);
        input.Allow(CC1, [new(dst, 32), new(dst + 0x100, 32)]);
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(waiting).State);
    }

    [Fact]
    public void A_source_segment_in_a_reserved_region_or_outside_memory_is_refused_and_nothing_is_sent()
    {
        using var rig = new NocRig();
        ulong src = rig.UserBase(CC1);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        input.Allow(CC1, rig.UserBase(CC0), 4096);

        var reserved = Assert.Throws<MemoryAccessException>(() => output.Write([new(src, 100), new(0, 100)]));
        Assert.Contains("reserved", reserved.Message);
        var outside = Assert.Throws<MemoryAccessException>(() => output.Write([new(src, 100), new(ulong.MaxValue - 10, 100)]));
        Assert.Contains("outside", outside.Message);

        Assert.False(output.IsBusy);
        Assert.Equal(0, rig.Noc.TransferCount);
        Assert.True(input.IsAllowed);
        output.Write([new(src, 100), new(src + 0x1000, 100)]);
        rig.Scheduler.RunUntilIdle();
        Assert.True(input.TryComplete(out int bytes, out _));
        Assert.Equal(200, bytes);
    }

    [Fact]
    public void Empty_segments_empty_lists_and_oversized_totals_are_refused_by_name()
    {
        using var rig = new NocRig();
        ulong src = rig.UserBase(CC1);
        ulong dst = rig.UserBase(CC0);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        var emptyIn = Assert.Throws<NocException>(() => input.Allow(CC1, [new(dst, 10), new(dst + 10, 0), new(dst + 20, 10)]));
        Assert.Contains("segment 1 of 3 has 0 bytes", emptyIn.Message);
        var negativeOut = Assert.Throws<NocException>(() => output.Write([new(src, 10), new(src + 10, -4)]));
        Assert.Contains("segment 1 of 2 has -4 bytes", negativeOut.Message);
        Assert.Contains("0 segments", Assert.Throws<NocException>(() => input.Allow(CC1, [])).Message);
        Assert.Contains("0 segments", Assert.Throws<NocException>(() => output.Write([])).Message);

        // 1 MB + 1 byte in two pieces is still one write over the limit.
        var oversized = Assert.Throws<NocException>(
            () => output.Write([new(src, NetworkOnChip.MaxPortalWriteBytes / 2), new(src, (NetworkOnChip.MaxPortalWriteBytes / 2) + 1)]));
        Assert.Contains($"{NetworkOnChip.MaxPortalWriteBytes + 1} bytes", oversized.Message);

        Assert.False(input.IsAllowed);
        Assert.False(output.IsBusy);
        Assert.Equal(0, rig.Noc.TransferCount);
    }

    [Fact]
    public void Lists_longer_than_the_maximum_are_refused_and_the_maximum_is_accepted()
    {
        Assert.Equal(257, NetworkOnChip.MaxPortalSegments);
        using var rig = new NocRig();
        MemorySegment[] tooLongIn = Layout(rig.UserBase(CC0), Enumerable.Repeat(2, NetworkOnChip.MaxPortalSegments + 1).ToArray(), gap: 1);
        MemorySegment[] tooLongOut = Layout(rig.UserBase(CC1), Enumerable.Repeat(2, NetworkOnChip.MaxPortalSegments + 1).ToArray(), gap: 1);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        var allowError = Assert.Throws<NocException>(() => input.Allow(CC1, tooLongIn));
        var writeError = Assert.Throws<NocException>(() => output.Write(tooLongOut));

        foreach (NocException error in new[] { allowError, writeError })
        {
            Assert.Contains($"{NetworkOnChip.MaxPortalSegments + 1} segments", error.Message);
            Assert.Contains($"1 to {NetworkOnChip.MaxPortalSegments}", error.Message);
        }

        Assert.False(input.IsAllowed);
        Assert.False(output.IsBusy);
        Assert.Equal(0, rig.Noc.TransferCount);

        rig.Fill(CC1, rig.UserBase(CC1), 2000, seed: 13);
        input.Allow(CC1, tooLongIn.AsSpan(1));
        output.Write(tooLongOut.AsSpan(1));
        rig.Scheduler.RunUntilIdle();
        Assert.Equal(Gather(rig.MemoryOf(CC1), tooLongOut[1..]), Gather(rig.MemoryOf(CC0), tooLongIn[1..]));
    }

    [Theory]
    [InlineData(NocTimingMode.Nanvix, 10000)]
    [InlineData(NocTimingMode.Nanvix, 65536)]
    [InlineData(NocTimingMode.Hardware, 10000)]
    public void A_scattered_write_costs_what_one_write_of_its_total_costs(NocTimingMode mode, int size)
    {
        using var rig = new NocRig(mode);
        using IPortalInput input = rig.Noc.CreatePortal(IO0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC10, IO0);
        MemorySegment[] source = Layout(rig.UserBase(CC10), Cut(size, 17, seed: 3), gap: 4096);
        MemorySegment[] destination = Layout(rig.UserBase(IO0), Cut(size, 5, seed: 4), gap: 100);
        input.Allow(CC10, destination);

        ulong posted = rig.Now;
        int id = output.Write(source);
        rig.Scheduler.RunUntilIdle();

        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(1, rig.Noc.TransferCount);
        Assert.Equal(posted, record.Start);
        int hops = rig.Machine.Spec.Noc.Topology.Hops(CC10, IO0);
        ulong expected = mode == NocTimingMode.Nanvix
            ? Mppa256.PortalAlphaCycles + ((((ulong)size * Mppa256.PortalBetaCentiCyclesPerByte) + 99) / 100)
            : Hops(hops) + PortalSerialization(size);
        Assert.Equal(expected, record.Duration);
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Steady_scatter_gather_writes_allocate_nothing_once_warm(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        using IPortalInput portal = rig.Noc.CreatePortal(CC0);
        using IPortalOutput write = rig.Noc.OpenPortal(CC1, CC0);

        // Lists of different lengths in turn, the longest of the maximum size: the endpoints' storage does not churn.
        MemorySegment[] longSource = Layout(rig.UserBase(CC1), Cut(20000, NetworkOnChip.MaxPortalSegments, seed: 5), gap: 1);
        MemorySegment[] longDestination = Layout(rig.UserBase(CC0), Cut(20000, 31, seed: 6), gap: 7);
        MemorySegment[] shortSource = Layout(rig.UserBase(CC1), Cut(9000, 3, seed: 7), gap: 64);
        MemorySegment[] shortDestination = Layout(rig.UserBase(CC0), Cut(9000, NetworkOnChip.MaxPortalSegments, seed: 8), gap: 2);
        ulong buffer = rig.UserBase(CC0);
        ulong source = rig.UserBase(CC1);

        void Traffic(int rounds)
        {
            for (int round = 0; round < rounds; round++)
            {
                portal.Allow(CC1, longDestination);
                write.Write(longSource);
                rig.Scheduler.RunUntilIdle();
                portal.TryComplete(out _, out _);

                write.Write(shortSource);
                portal.Allow(CC1, shortDestination);
                rig.Scheduler.RunUntilIdle();
                portal.TryComplete(out _, out _);

                portal.Allow(CC1, buffer, 4096);
                write.Write(source, 4096);
                rig.Scheduler.RunUntilIdle();
                portal.TryComplete(out _, out _);
            }
        }

        // 3 transfers a round: 400 warm-up rounds grow the transfer arrays to 2048 records, beyond the 100 measured ones.
        Traffic(400);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Traffic(100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    /// <summary>The bytes a list of segments names, concatenated in list order.</summary>
    private static byte[] Gather(ClusterMemory memory, ReadOnlySpan<MemorySegment> segments)
    {
        var bytes = new List<byte>();
        foreach (MemorySegment segment in segments)
        {
            bytes.AddRange(memory.Bytes(segment.Offset, segment.Length));
        }

        return [.. bytes];
    }

    /// <summary>Checks that the bytes of [<paramref name="start"/>, + before.Length) outside <paramref name="segments"/> kept their value.</summary>
    private static void AssertUntouchedOutside(ClusterMemory memory, ulong start, byte[] before, MemorySegment[] segments)
    {
        bool[] inside = new bool[before.Length];
        foreach (MemorySegment segment in segments)
        {
            for (int i = 0; i < segment.Length; i++)
            {
                inside[(int)(segment.Offset - start) + i] = true;
            }
        }

        Span<byte> now = memory.Bytes(start, before.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(inside[i] || before[i] == now[i], $"byte at 0x{start + (ulong)i:x} outside every segment changed");
        }
    }

    /// <summary>
    /// Places segments of <paramref name="lengths"/> from <paramref name="start"/> with <paramref name="gap"/> bytes
    /// between them, in reverse address order (the first segment of the list is the highest), so that the list order
    /// is not the memory order.
    /// </summary>
    private static MemorySegment[] Layout(ulong start, int[] lengths, int gap)
    {
        var segments = new MemorySegment[lengths.Length];
        ulong at = start;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            segments[i] = new MemorySegment(at, lengths[i]);
            at += (ulong)(lengths[i] + gap);
        }

        return segments;
    }

    /// <summary>Cuts <paramref name="total"/> bytes into <paramref name="pieces"/> uneven lengths of at least 1 byte.</summary>
    private static int[] Cut(int total, int pieces, int seed)
    {
        int[] lengths = new int[pieces];
        for (int i = 0; i < pieces; i++)
        {
            lengths[i] = (total / pieces) + (i < total % pieces ? 1 : 0);
        }

        for (int i = 0; i + 1 < pieces; i++)
        {
            int shift = ((i * 7) + seed) % 5 * (lengths[i] / 3);
            shift = Math.Min(shift, lengths[i + 1] - 1);
            lengths[i] += shift;
            lengths[i + 1] -= shift;
        }

        Assert.Equal(total, lengths.Sum());
        Assert.All(lengths, length => Assert.True(length >= 1));
        return lengths;
    }
}
