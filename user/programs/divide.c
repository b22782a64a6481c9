/*
 * Division and overflow corner cases, computed by the M-extension instructions themselves (inline asm,
 * since C leaves division by zero and INT_MIN / -1 undefined), plus wrapping arithmetic and shifts.
 */
#include <stdint.h>
#include <stdio.h>

#define OP(name)                                                                     \
    static int32_t name(int32_t x, int32_t y)                                        \
    {                                                                                \
        int32_t r;                                                                   \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));            \
        return r;                                                                    \
    }

OP(div)
OP(divu)
OP(rem)
OP(remu)
OP(mulh)
OP(mulhu)
OP(mulhsu)

static const int32_t cases[][2] = {
    {7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {7, 0}, {-7, 0}, {0, 0},
    {INT32_MIN, -1}, {INT32_MIN, 1}, {INT32_MAX, -1}, {INT32_MIN, 0}, {-1, -1}, {1, INT32_MIN},
};

int main(void)
{
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t x = cases[i][0], y = cases[i][1];
        printf("%d,%d: div %d divu %u rem %d remu %u mulh %d mulhu %u mulhsu %d\n", x, y,
               div(x, y), (uint32_t)divu(x, y), rem(x, y), (uint32_t)remu(x, y), mulh(x, y),
               (uint32_t)mulhu(x, y), mulhsu(x, y));
    }
    volatile uint32_t big = 0xFFFFFFFFu;
    volatile int32_t max = INT32_MAX;
    volatile int32_t amount = 33;
    printf("wrap: %u %d\n", big + 1u, (int32_t)((uint32_t)max + 1u));
    printf("shifts: %d %u %d\n", -16 >> 2, 0x80000000u >> 31, (int32_t)(1u << (amount & 31)));
    int64_t wide = (int64_t)INT32_MAX * 3;
    printf("64-bit: %lld %lld %llu\n", wide / 7, wide % 7, (uint64_t)0xFFFFFFFFFFFFull / 1000u);
    return 0;
}
