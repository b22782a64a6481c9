/*
 * The process the seed migrated (Vanz 2022, article section 4): 352.8 KB in all, 342.8 KB of them text and data,
 * the rest the kernel's 2 KB UArea and the 8 KB main stack. Its image is mostly three tables of initialized words
 * (each word a function of its table and index, never zero, so that they are in the file, not in .bss): TEXT in
 * .text stands for the seed's code, CONST in .rodata for its read-only data, DATA in .data for its data, updated
 * every round. The sizes are chosen so that .rodata and .text end on page boundaries (no half-used page between
 * segments) and the loaded sections come to 351 028 bytes (342.8 KB) in 86 pages (344 KB); after changing code or
 * strings, check with llvm-readelf-14 -lS user/bin/seedproc.elf and retune the *_DIGITS.
 *   seedproc [ROUNDS [NODE...]]  checks that TEXT and CONST are what the ELF holds, runs ROUNDS rounds (default 1),
 *                                each reading TEXT and CONST and updating all of DATA (1.06 million instructions a
 *                                round, 2.5 million in all for one), then checks DATA against what the rounds must
 *                                have made of it and prints a checksum. With NODEs it moves itself to each in turn,
 *                                spread over the rounds (a NODE is a NoC node number: CC0 is node 8).
 * The output does not depend on where it runs or how often it moves (but for the lines that say so).
 */
#include <nanvix/ikc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Word n of a table of salt s: never zero (odd). */
#define PATTERN(s, n) (((uint32_t)(n) * 2654435761u + (uint32_t)(s)) | 1u)

#define TEXT_SALT 0x7e57c0deu
#define CONST_SALT 0xc0457a47u
#define DATA_SALT 0xda7a5eedu

/* Table sizes in words, as hexadecimal digits written in decimal (the generator pastes them into macro names). */
#define TEXT_DIGITS 6, 2, 1, 1
#define CONST_DIGITS 0, 2, 13, 14
#define DATA_DIGITS 14, 10, 11, 14

/*
 * Initializer generator: Bk(s, n) emits the 16^k words n, n + 1, ... of salt s, each with its comma;
 * Dd(B, s, b, t) emits d blocks B(s, b), B(s, b + t), ...; TABLE(s, digits) the words 0 .. 0xh3h2h1h0 - 1.
 */
#define B0(s, n) PATTERN(s, n),
#define B1(s, n) \
    B0(s, n) B0(s, (n) + 0x1) B0(s, (n) + 0x2) B0(s, (n) + 0x3) \
    B0(s, (n) + 0x4) B0(s, (n) + 0x5) B0(s, (n) + 0x6) B0(s, (n) + 0x7) \
    B0(s, (n) + 0x8) B0(s, (n) + 0x9) B0(s, (n) + 0xa) B0(s, (n) + 0xb) \
    B0(s, (n) + 0xc) B0(s, (n) + 0xd) B0(s, (n) + 0xe) B0(s, (n) + 0xf)
#define B2(s, n) \
    B1(s, n) B1(s, (n) + 0x10) B1(s, (n) + 0x20) B1(s, (n) + 0x30) \
    B1(s, (n) + 0x40) B1(s, (n) + 0x50) B1(s, (n) + 0x60) B1(s, (n) + 0x70) \
    B1(s, (n) + 0x80) B1(s, (n) + 0x90) B1(s, (n) + 0xa0) B1(s, (n) + 0xb0) \
    B1(s, (n) + 0xc0) B1(s, (n) + 0xd0) B1(s, (n) + 0xe0) B1(s, (n) + 0xf0)
#define B3(s, n) \
    B2(s, n) B2(s, (n) + 0x100) B2(s, (n) + 0x200) B2(s, (n) + 0x300) \
    B2(s, (n) + 0x400) B2(s, (n) + 0x500) B2(s, (n) + 0x600) B2(s, (n) + 0x700) \
    B2(s, (n) + 0x800) B2(s, (n) + 0x900) B2(s, (n) + 0xa00) B2(s, (n) + 0xb00) \
    B2(s, (n) + 0xc00) B2(s, (n) + 0xd00) B2(s, (n) + 0xe00) B2(s, (n) + 0xf00)
#define D0(B, s, b, t)
#define D1(B, s, b, t) B(s, b)
#define D2(B, s, b, t) D1(B, s, b, t) B(s, (b) + (t))
#define D3(B, s, b, t) D2(B, s, b, t) B(s, (b) + 2 * (t))
#define D4(B, s, b, t) D3(B, s, b, t) B(s, (b) + 3 * (t))
#define D5(B, s, b, t) D4(B, s, b, t) B(s, (b) + 4 * (t))
#define D6(B, s, b, t) D5(B, s, b, t) B(s, (b) + 5 * (t))
#define D7(B, s, b, t) D6(B, s, b, t) B(s, (b) + 6 * (t))
#define D8(B, s, b, t) D7(B, s, b, t) B(s, (b) + 7 * (t))
#define D9(B, s, b, t) D8(B, s, b, t) B(s, (b) + 8 * (t))
#define D10(B, s, b, t) D9(B, s, b, t) B(s, (b) + 9 * (t))
#define D11(B, s, b, t) D10(B, s, b, t) B(s, (b) + 10 * (t))
#define D12(B, s, b, t) D11(B, s, b, t) B(s, (b) + 11 * (t))
#define D13(B, s, b, t) D12(B, s, b, t) B(s, (b) + 12 * (t))
#define D14(B, s, b, t) D13(B, s, b, t) B(s, (b) + 13 * (t))
#define D15(B, s, b, t) D14(B, s, b, t) B(s, (b) + 14 * (t))
#define TABLE_(s, h3, h2, h1, h0)                                                                                  \
    D##h3(B3, s, 0, 0x1000) D##h2(B2, s, (h3) * 0x1000, 0x100)                                                     \
    D##h1(B1, s, (h3) * 0x1000 + (h2) * 0x100, 0x10)                                                               \
    D##h0(B0, s, (h3) * 0x1000 + (h2) * 0x100 + (h1) * 0x10, 1)
#define TABLE(...) TABLE_(__VA_ARGS__)
#define WORDS_(h3, h2, h1, h0) ((h3) * 0x1000 + (h2) * 0x100 + (h1) * 0x10 + (h0))
#define WORDS(...) WORDS_(__VA_ARGS__)

#define TEXT_WORDS WORDS(TEXT_DIGITS)
#define CONST_WORDS WORDS(CONST_DIGITS)
#define DATA_WORDS WORDS(DATA_DIGITS)

__attribute__((section(".text.seedproc"))) static const uint32_t text[TEXT_WORDS] = {TABLE(TEXT_SALT, TEXT_DIGITS)};
static const uint32_t constants[CONST_WORDS] = {TABLE(CONST_SALT, CONST_DIGITS)};
static uint32_t data[DATA_WORDS] = {TABLE(DATA_SALT, DATA_DIGITS)};

/* Index of the first word of table that is not PATTERN(salt, i), or -1. */
static int first_wrong(const uint32_t *table, int words, uint32_t salt)
{
    for (int i = 0; i < words; i++)
        if (table[i] != PATTERN(salt, i))
            return i;
    return -1;
}

static uint32_t fold(uint32_t sum, const uint32_t *table, int words)
{
    for (int i = 0; i < words; i++)
        sum = (sum ^ table[i]) * 16777619u;
    return sum;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    int nodes = argc > 2 ? argc - 2 : 0;
    if (rounds < 1) {
        printf("usage: seedproc [ROUNDS [NODE...]], ROUNDS at least 1\n");
        return 2;
    }
    printf("seedproc: text %u, constants %u, data %u bytes; rounds %d\n", (unsigned)sizeof text,
           (unsigned)sizeof constants, (unsigned)sizeof data, rounds);
    /* DATA needs no check here: the check after the rounds expects its pattern. */
    int wrong = first_wrong(text, TEXT_WORDS, TEXT_SALT);
    int wrong_constant = first_wrong(constants, CONST_WORDS, CONST_SALT);
    if (wrong >= 0 || wrong_constant >= 0) {
        printf("seedproc: FAIL: word %d of %s is not what the ELF holds\n", wrong >= 0 ? wrong : wrong_constant,
               wrong >= 0 ? "text" : "constants");
        return 1;
    }
    if (nodes > 0)
        printf("seedproc: starts on node %d\n", nanvix_node_self());

    uint32_t sum = 0;
    int moved = 0;
    for (int r = 0; r < rounds; r++) {
        sum = fold(fold(sum, text, TEXT_WORDS), constants, CONST_WORDS);
        for (int i = 0, j = 0; i < DATA_WORDS; i++) {
            data[i] += text[j] + (uint32_t)r;
            if (++j == TEXT_WORDS)
                j = 0;
        }
        /* Move k (from 0) comes once (k + 1) / (nodes + 1) of the rounds are done. */
        while (moved < nodes && (r + 1) * (nodes + 1) >= (moved + 1) * rounds) {
            const char *node = argv[2 + moved++];
            int result = nanvix_migrate(atoi(node));
            printf("seedproc: after round %d, migrate(%s) = %d, now on node %d\n", r + 1, node, result,
                   nanvix_node_self());
            if (result != 0) {
                printf("seedproc: FAIL: migrate(%s) refused\n", node);
                return 1;
            }
        }
    }

    /* Data word i is now its pattern + rounds x its text word + (0 + 1 + ... + rounds - 1). */
    uint32_t added = (uint32_t)rounds * (uint32_t)(rounds - 1) / 2u;
    for (int i = 0, j = 0; i < DATA_WORDS; i++) {
        uint32_t expected = PATTERN(DATA_SALT, i) + (uint32_t)rounds * text[j] + added;
        if (data[i] != expected) {
            printf("seedproc: FAIL: data word %d is %08x after %d rounds, expected %08x\n", i, data[i], rounds,
                   expected);
            return 1;
        }
        sum = (sum ^ data[i]) * 16777619u;
        if (++j == TEXT_WORDS)
            j = 0;
    }
    printf("seedproc: rounds %d, checksum %08x, ok\n", rounds, sum);
    return 0;
}
