/*
 * A CPU-bound workload: quicksort, CRC-32 and an integer matrix multiply, repeated ROUNDS times
 * (argv[1], default 3). It prints one checksum per kernel and per round, so any wrong instruction shows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N_SORT 2048
#define N_CRC 8192
#define N_MAT 24

static uint32_t seed = 12345;

static uint32_t next(void)
{
    /* Numerical Recipes' LCG: deterministic on every machine. */
    seed = seed * 1664525u + 1013904223u;
    return seed;
}

static int32_t values[N_SORT];
static uint8_t bytes[N_CRC];
static int32_t a[N_MAT][N_MAT], b[N_MAT][N_MAT], c[N_MAT][N_MAT];
static uint32_t crc_table[256];

static void quicksort(int32_t *v, int lo, int hi)
{
    while (lo < hi) {
        int32_t pivot = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static uint32_t sort_round(void)
{
    for (int i = 0; i < N_SORT; i++)
        values[i] = (int32_t)next();
    quicksort(values, 0, N_SORT - 1);
    uint32_t sum = 0;
    for (int i = 0; i < N_SORT; i++) {
        if (i > 0 && values[i - 1] > values[i])
            return 0xDEADu;
        sum = sum * 31u + (uint32_t)values[i];
    }
    return sum;
}

static uint32_t crc_round(void)
{
    for (int i = 0; i < N_CRC; i++)
        bytes[i] = (uint8_t)(next() >> 24);
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < N_CRC; i++)
        crc = crc_table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint32_t matrix_round(void)
{
    for (int i = 0; i < N_MAT; i++)
        for (int j = 0; j < N_MAT; j++) {
            a[i][j] = (int32_t)(next() % 201u) - 100;
            b[i][j] = (int32_t)(next() % 201u) - 100;
        }
    uint32_t sum = 0;
    for (int i = 0; i < N_MAT; i++)
        for (int j = 0; j < N_MAT; j++) {
            int32_t s = 0;
            for (int k = 0; k < N_MAT; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
            sum = sum * 7u + (uint32_t)s;
        }
    return sum;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t r = i;
        for (int k = 0; k < 8; k++)
            r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1u)));
        crc_table[i] = r;
    }
    for (int round = 0; round < rounds; round++)
        printf("round %d: sort %08x crc %08x matrix %08x\n", round, sort_round(), crc_round(), matrix_round());
    return 0;
}
