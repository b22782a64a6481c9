using Nanvix.Hal.Machine;
using Nanvix.Hal.Memory;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

public sealed class PortalTests
{
    [Fact]
    public void Portal_write_before_allow_waits_and_lands_only_in_the_buffer_the_receiver_allowed_for_it()
    {
        using var rig = new NocRig();
        const int Size = 6000;
        ulong source = rig.UserBase(CC1);
        ulong buffer = rig.UserBase(CC0) + 0x1000;
        rig.Fill(CC1, source, Size, seed: 1);
        rig.Fill(CC3, rig.UserBase(CC3), 100, seed: 2);
        using IPortalInput receiver = rig.Noc.CreatePortal(CC0);
        using IPortalInput bystander = rig.Noc.CreatePortal(CC2);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        using IPortalOutput other = rig.Noc.OpenPortal(CC3, CC0);

        int id = output.Write(source, Size);
        bystander.Allow(CC1, rig.UserBase(CC2), Size);
        rig.Scheduler.RunUntilIdle();

        // Nobody allowed CC1 at CC0: the write waits, and the allow CC1 got elsewhere does not take it.
        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(id).State);
        Assert.True(output.IsBusy);
        Assert.True(rig.MemoryOf(CC0).Bytes(buffer, Size).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(rig.MemoryOf(CC2).Bytes(rig.UserBase(CC2), Size).IndexOfAnyExcept((byte)0) < 0);

        // An allow for another sender does not take it either.
        receiver.Allow(CC3, buffer, Size);
        other.Write(rig.UserBase(CC3), 100);
        rig.Scheduler.RunUntilIdle();
        Assert.True(receiver.TryComplete(out int otherBytes, out _));
        Assert.Equal(100, otherBytes);
        Assert.Equal(TransferState.Waiting, rig.Noc.Transfer(id).State);

        ulong allowedAt = rig.Now + 1000;
        rig.Scheduler.RunUntil(allowedAt);
        receiver.Allow(CC1, buffer, Size);
        Assert.Equal(TransferState.InFlight, rig.Noc.Transfer(id).State);
        rig.Scheduler.RunUntilIdle();

        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(TransferState.Delivered, record.State);
        Assert.Equal(allowedAt, record.Start);
        Assert.True(record.Posted < record.Start);
        Assert.True(rig.MemoryOf(CC1).Bytes(source, Size).SequenceEqual(rig.MemoryOf(CC0).Bytes(buffer, Size)));
        Assert.True(rig.MemoryOf(CC2).Bytes(rig.UserBase(CC2), Size).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(bystander.IsAllowed);
        Assert.False(output.IsBusy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(10000)]
    public void Portal_writes_of_any_size_arrive_byte_exact_in_chunks(int size)
    {
        using var rig = new NocRig();
        ulong source = rig.UserBase(CC5) + 3;
        ulong buffer = rig.UserBase(CC0) + 5;
        rig.Fill(CC5, source, size, seed: size);
        rig.Fill(CC0, buffer + (ulong)size, 16, seed: 9);
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC5, CC0);

        input.Allow(CC5, buffer, size);
        int id = output.Write(source, size);
        rig.Scheduler.RunUntilIdle();

        Assert.True(rig.MemoryOf(CC5).Bytes(source, size).SequenceEqual(rig.MemoryOf(CC0).Bytes(buffer, size)));
        Span<byte> after = rig.MemoryOf(CC0).Bytes(buffer + (ulong)size, 16);
        for (int i = 0; i < after.Length; i++)
        {
            Assert.Equal(Pattern(i, 9), after[i]);
        }

        int packets = (size + Mppa256.PortalChunkBytes - 1) / Mppa256.PortalChunkBytes;
        TransferRecord record = rig.Noc.Transfer(id);
        Assert.Equal(packets, record.Packets);
        Assert.Equal(size, record.Bytes);
        Assert.Equal(size + (packets * Mppa256.PacketHeaderBytes), record.WireBytes);
        Assert.True(input.TryComplete(out int bytes, out int completed));
        Assert.Equal((size, id), (bytes, completed));
        Assert.False(input.TryComplete(out _, out _));
        Assert.False(input.IsAllowed);
    }

    [Fact]
    public void Allow_smaller_than_the_waiting_write_is_refused()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        output.Write(rig.UserBase(CC1), 5000);

        var error = Assert.Throws<NocException>(() => input.Allow(CC1, rig.UserBase(CC0), 4096));

        Assert.Contains("5000 bytes", error.Message);
        Assert.Contains("4096 bytes", error.Message);
        Assert.False(input.IsAllowed);
    }

    [Fact]
    public void Write_larger_than_the_outstanding_allow_is_refused()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        input.Allow(CC1, rig.UserBase(CC0), 4096);

        Assert.Throws<NocException>(() => output.Write(rig.UserBase(CC1), 4097));
        Assert.False(output.IsBusy);
        Assert.Equal(0, rig.Noc.TransferCount);
    }

    [Fact]
    public void Portal_completion_notifies_the_input_and_the_output_and_frees_both()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        var inputLog = new NotificationLog();
        var outputLog = new NotificationLog();
        input.Notify(inputLog, 1);
        output.Notify(outputLog, 2);

        input.Allow(CC1, rig.UserBase(CC0), 4096);
        int id = output.Write(rig.UserBase(CC1), 4096);
        Assert.True(output.IsBusy);
        Assert.True(input.IsAllowed);
        Assert.Throws<NocException>(() => output.Write(rig.UserBase(CC1), 10));
        Assert.Throws<NocException>(() => input.Allow(CC2, rig.UserBase(CC0), 10));
        rig.Scheduler.RunUntilIdle();

        ulong end = rig.Noc.Transfer(id).End;
        Assert.Equal([(end, 1L)], inputLog.Events);
        Assert.Equal([(end, 2L)], outputLog.Events);
        Assert.False(output.IsBusy);
        Assert.False(input.IsAllowed);
        input.Allow(CC1, rig.UserBase(CC0), 10);
        output.Write(rig.UserBase(CC1), 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(NetworkOnChip.MaxPortalWriteBytes + 1)]
    public void Portal_write_of_a_size_outside_one_byte_to_one_megabyte_is_refused(int size)
    {
        using var rig = new NocRig();
        using IPortalOutput output = rig.Noc.OpenPortal(IO0, CC0);

        var error = Assert.Throws<NocException>(() => output.Write(rig.UserBase(IO0), size));

        Assert.Contains($"{size} bytes", error.Message);
    }

    [Fact]
    public void Portal_buffers_outside_accessible_memory_are_refused_by_the_memory()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        using IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);

        Assert.Throws<MemoryAccessException>(() => input.Allow(CC1, 0, 64));
        Assert.Throws<MemoryAccessException>(() => output.Write(0, 64));
        Assert.False(input.IsAllowed);
        Assert.False(output.IsBusy);
    }

    [Fact]
    public void Closing_an_output_cancels_its_waiting_write()
    {
        using var rig = new NocRig();
        using IPortalInput input = rig.Noc.CreatePortal(CC0);
        IPortalOutput output = rig.Noc.OpenPortal(CC1, CC0);
        int id = output.Write(rig.UserBase(CC1), 64);
        output.Dispose();

        input.Allow(CC1, rig.UserBase(CC0), 64);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal(TransferState.Cancelled, rig.Noc.Transfer(id).State);
        Assert.False(input.TryComplete(out _, out _));
        Assert.True(input.IsAllowed);
    }
}
