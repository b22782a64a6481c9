using Nanvix.Hal.Machine;
using Nanvix.Hal.Noc;
using static Nanvix.Hal.Tests.Noc.NocRig;

namespace Nanvix.Hal.Tests.Noc;

public sealed class MailboxTests
{
    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Mailbox_messages_from_one_sender_arrive_in_fifo_order(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC10, CC0);
        const int Messages = 50;
        for (int i = 0; i < Messages; i++)
        {
            output.Write([(byte)i, (byte)(i * 3)]);
            if (i % 7 == 0)
            {
                rig.Scheduler.RunUntil(rig.Now + 5);
            }
        }

        rig.Scheduler.RunUntilIdle();

        Assert.Equal(Messages, input.Available);
        Span<byte> buffer = stackalloc byte[Mppa256.MailboxPayloadBytes];
        ulong previous = 0;
        for (int i = 0; i < Messages; i++)
        {
            Assert.True(input.TryRead(buffer, out MailboxMessage message));
            Assert.Equal(CC10, message.Source);
            Assert.Equal(2, message.Length);
            Assert.Equal((byte)i, buffer[0]);
            Assert.Equal((byte)(i * 3), buffer[1]);
            Assert.True(message.ArrivedAt >= previous);
            previous = message.ArrivedAt;
        }

        Assert.False(input.TryRead(buffer, out _));
    }

    [Theory]
    [InlineData(NocTimingMode.Hardware)]
    [InlineData(NocTimingMode.Nanvix)]
    public void Mailbox_messages_from_two_interleaved_senders_keep_each_senders_order(NocTimingMode mode)
    {
        using var rig = new NocRig(mode);
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput near = rig.Noc.OpenMailbox(CC1, CC0);
        using IMailboxOutput far = rig.Noc.OpenMailbox(CC10, CC0);
        const int PerSender = 30;
        for (int i = 0; i < PerSender; i++)
        {
            near.Write([(byte)i]);
            far.Write([(byte)i]);
            if (i % 4 == 3)
            {
                rig.Scheduler.RunUntil(rig.Now + 17);
            }
        }

        rig.Scheduler.RunUntilIdle();

        Span<byte> buffer = stackalloc byte[Mppa256.MailboxPayloadBytes];
        int nextNear = 0;
        int nextFar = 0;
        ulong previousArrival = 0;
        int previousId = -1;
        while (input.TryRead(buffer, out MailboxMessage message))
        {
            if (message.Source == CC1)
            {
                Assert.Equal(nextNear++, buffer[0]);
            }
            else
            {
                Assert.Equal(CC10, message.Source);
                Assert.Equal(nextFar++, buffer[0]);
            }

            // Arrival order, and posting order among same-cycle arrivals.
            Assert.True(message.ArrivedAt > previousArrival || (message.ArrivedAt == previousArrival && message.TransferId > previousId));
            Assert.Equal(rig.Noc.Transfer(message.TransferId).End, message.ArrivedAt);
            previousArrival = message.ArrivedAt;
            previousId = message.TransferId;
        }

        Assert.Equal(PerSender, nextNear);
        Assert.Equal(PerSender, nextFar);
    }

    [Fact]
    public void Mailbox_payload_arrives_byte_exact()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(IO0, CC0);
        byte[] full = new byte[Mppa256.MailboxPayloadBytes];
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = Pattern(i, 3);
        }

        output.Write(full);
        output.Write([0xAB]);
        output.Write([]);

        // The sender's buffer is free once Write returns: the NoC copied the payload.
        Array.Clear(full);
        rig.Scheduler.RunUntilIdle();

        byte[] buffer = new byte[Mppa256.MailboxPayloadBytes];
        Assert.True(input.TryRead(buffer, out MailboxMessage first));
        Assert.Equal(Mppa256.MailboxPayloadBytes, first.Length);
        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.Equal(Pattern(i, 3), buffer[i]);
        }

        Assert.True(input.TryRead(buffer, out MailboxMessage second));
        Assert.Equal(1, second.Length);
        Assert.Equal(0xAB, buffer[0]);
        Assert.True(input.TryRead(buffer, out MailboxMessage third));
        Assert.Equal(0, third.Length);
    }

    [Fact]
    public void Oversized_mailbox_message_is_refused_naming_its_size_and_the_limit()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);

        var error = Assert.Throws<NocException>(() => output.Write(new byte[Mppa256.MailboxPayloadBytes + 1]));

        Assert.Contains("129 bytes", error.Message);
        Assert.Contains("128-byte", error.Message);
        Assert.Equal(0, rig.Noc.TransferCount);
    }

    [Fact]
    public void Mailbox_write_to_a_full_receiver_is_refused_until_a_message_is_read()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);
        for (int i = 0; i < NetworkOnChip.MailboxSlots; i++)
        {
            output.Write([(byte)i]);
        }

        var error = Assert.Throws<NocException>(() => output.Write([1]));
        Assert.Contains("mailbox of node 8 is full", error.Message);

        rig.Scheduler.RunUntilIdle();
        Assert.Throws<NocException>(() => output.Write([1]));
        Assert.True(input.TryRead(new byte[Mppa256.MailboxPayloadBytes], out _));
        output.Write([1]);
        Assert.Equal(NetworkOnChip.MailboxSlots + 1, rig.Noc.TransferCount);
    }

    [Fact]
    public void Mailbox_write_to_a_node_without_an_open_input_is_refused()
    {
        using var rig = new NocRig();
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);

        var error = Assert.Throws<NocException>(() => output.Write([1]));

        Assert.Contains("node 8 has no open mailbox input", error.Message);
    }

    [Fact]
    public void Mailbox_arrival_notifies_the_input_listener_at_the_arrival_cycle()
    {
        using var rig = new NocRig();
        using IMailboxInput input = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);
        var log = new NotificationLog();
        input.Notify(log, 42);

        int id = output.Write([7]);
        rig.Scheduler.RunUntil(rig.Noc.Transfer(id).End - 1);
        Assert.Equal(0, input.Available);
        rig.Scheduler.RunUntilIdle();

        Assert.Equal([(rig.Noc.Transfer(id).End, 42L)], log.Events);
        Assert.Equal(TransferState.Delivered, rig.Noc.Transfer(id).State);
    }

    [Fact]
    public void A_second_mailbox_input_on_a_node_is_refused_until_the_first_is_closed()
    {
        using var rig = new NocRig();
        IMailboxInput first = rig.Noc.CreateMailbox(CC0);

        Assert.Throws<NocException>(() => rig.Noc.CreateMailbox(CC0));
        first.Dispose();
        using IMailboxInput second = rig.Noc.CreateMailbox(CC0);

        Assert.False(second.IsClosed);
    }

    [Fact]
    public void Messages_in_flight_to_a_closed_mailbox_are_dropped()
    {
        using var rig = new NocRig();
        IMailboxInput first = rig.Noc.CreateMailbox(CC0);
        using IMailboxOutput output = rig.Noc.OpenMailbox(CC1, CC0);
        output.Write([1]);
        first.Dispose();
        using IMailboxInput second = rig.Noc.CreateMailbox(CC0);

        rig.Scheduler.RunUntilIdle();

        Assert.Equal(0, second.Available);
    }
}
