/*
 * Messages that must arrive exactly once and in order, whoever moves meanwhile. Every message is 100 bytes: the
 * sender's id, its sequence number, the result of the work done before sending it, a checksum of the payload and
 * 84 bytes of payload, a function of (id, sequence number).
 *   stream recv PORT COUNT SENDERS  creates the mailbox input on PORT, links the name `stream` to it, reads
 *                                   COUNT x SENDERS messages and checks each one: length, sender id below SENDERS,
 *                                   checksum, payload, and per sender the sequence numbers 0, 1, 2, ... with no gap
 *                                   and no duplicate; it prints per-sender counts and `stream: in order`, or the
 *                                   first violation and exits 1
 *   stream send ID COUNT            looks `stream` up (retrying while it is not linked yet), opens an output to
 *                                   it and sends COUNT messages numbered 0 .. COUNT - 1, with 2 000 steps of a
 *                                   generator (about 10 000 instructions) before each
 * The output does not depend on the order in which the messages of different senders interleave.
 */
#include <errno.h>
#include <nanvix/ikc.h>
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "stream"
#define PAYLOAD 84
#define MAX_SENDERS 16
#define WORK_STEPS 2000

struct message {
    uint32_t sender;
    uint32_t sequence;
    uint32_t work;
    uint32_t checksum;
    uint8_t payload[PAYLOAD];
};

_Static_assert(sizeof(struct message) == 100, "a message is 100 bytes");

static void fill_payload(uint8_t *payload, uint32_t sender, uint32_t sequence)
{
    for (int i = 0; i < PAYLOAD; i++)
        payload[i] = (uint8_t)(sender * 131u + sequence * 7u + (uint32_t)i * 13u + 1u);
}

static uint32_t checksum(const uint8_t *bytes, int size)
{
    uint32_t sum = 2166136261u;
    for (int i = 0; i < size; i++)
        sum = (sum ^ bytes[i]) * 16777619u;
    return sum;
}

static int receive_stream(int port, int count, int senders)
{
    int in = nanvix_mailbox_create(port);
    int linked = in < 0 ? 0 : nanvix_name_link(NAME, port);
    if (in < 0 || linked < 0) {
        printf("stream: FAIL: mailbox_create(%d) = %d, name_link = %d\n", port, in, linked);
        return 1;
    }
    int next[MAX_SENDERS] = {0};
    uint32_t works[MAX_SENDERS] = {0};
    uint8_t expected[PAYLOAD];
    for (int i = 0; i < count * senders; i++) {
        struct message message = {0, 0, 0, 0, {0}};
        int n = nanvix_mailbox_read(in, &message, sizeof message);
        const char *wrong = 0;
        if (n != (int)sizeof message)
            wrong = "wrong length";
        else if (message.sender >= (uint32_t)senders)
            wrong = "unknown sender";
        else if (message.sequence != (uint32_t)next[message.sender])
            wrong = message.sequence < (uint32_t)next[message.sender] ? "duplicate or late" : "gap";
        else if (checksum(message.payload, PAYLOAD) != message.checksum)
            wrong = "bad checksum";
        if (!wrong) {
            fill_payload(expected, message.sender, message.sequence);
            if (memcmp(expected, message.payload, PAYLOAD) != 0)
                wrong = "bad payload";
        }
        if (wrong) {
            printf("stream: FAIL: message %d (read %d): sender %u, sequence %u, expected sequence %d: %s\n", i, n,
                   (unsigned)message.sender, (unsigned)message.sequence,
                   message.sender < (uint32_t)senders ? next[message.sender] : -1, wrong);
            return 1;
        }
        next[message.sender]++;
        works[message.sender] = (works[message.sender] ^ message.work) * 16777619u;
    }
    for (int s = 0; s < senders; s++)
        printf("stream: sender %d: %d messages, work %08x\n", s, next[s], works[s]);
    int unlinked = nanvix_name_unlink(NAME);
    nanvix_mailbox_close(in);
    if (unlinked < 0) {
        printf("stream: FAIL: name_unlink = %d\n", unlinked);
        return 1;
    }
    printf("stream: in order\n");
    return 0;
}

static int send_stream(int id, int count)
{
    struct nanvix_name_location where;
    int found, tries = 1;
    while ((found = nanvix_name_lookup(NAME, &where)) == -ENOENT && tries < 10000) {
        nanvix_thread_yield();
        tries++;
    }
    if (found < 0) {
        printf("stream: FAIL: sender %d: name_lookup(%s) = %d\n", id, NAME, found);
        return 1;
    }
    int out = nanvix_mailbox_open(where.node, where.port);
    if (out < 0) {
        printf("stream: FAIL: sender %d: mailbox_open(%d, %d) = %d\n", id, where.node, where.port, out);
        return 1;
    }
    uint32_t x = 0x9e3779b9u * (uint32_t)(id + 1);
    for (int sequence = 0; sequence < count; sequence++) {
        for (int k = 0; k < WORK_STEPS; k++) {
            x = x * 1664525u + 1013904223u;
            x ^= x >> 15;
        }
        struct message message = {(uint32_t)id, (uint32_t)sequence, x, 0, {0}};
        fill_payload(message.payload, message.sender, message.sequence);
        message.checksum = checksum(message.payload, PAYLOAD);
        int written = nanvix_mailbox_write(out, &message, sizeof message);
        if (written != (int)sizeof message) {
            printf("stream: FAIL: sender %d: message %d: mailbox_write = %d\n", id, sequence, written);
            return 1;
        }
    }
    nanvix_mailbox_close(out);
    printf("stream: sender %d sent %d\n", id, count);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "recv") == 0) {
        int port = atoi(argv[2]), count = atoi(argv[3]), senders = atoi(argv[4]);
        if (port < 0 || port > 62 || count < 1 || senders < 1 || senders > MAX_SENDERS) {
            printf("stream: PORT must be 0..62, COUNT at least 1, SENDERS 1..%d\n", MAX_SENDERS);
            return 2;
        }
        return receive_stream(port, count, senders);
    }
    if (argc == 4 && strcmp(argv[1], "send") == 0) {
        int id = atoi(argv[2]), count = atoi(argv[3]);
        if (id < 0 || id >= MAX_SENDERS || count < 1) {
            printf("stream: ID must be 0..%d, COUNT at least 1\n", MAX_SENDERS - 1);
            return 2;
        }
        return send_stream(id, count);
    }
    printf("usage: stream recv PORT COUNT SENDERS | stream send ID COUNT\n");
    return 2;
}
