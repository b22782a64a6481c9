/* Numbers from text, and a bump allocator over brk (free does nothing: programs here are short-lived). */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

long strtol(const char *s, char **end, int base)
{
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    int negative = 0;
    if (*s == '-' || *s == '+')
        negative = *s++ == '-';
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    } else if (base == 0) {
        base = s[0] == '0' ? 8 : 10;
    }
    unsigned long value = 0;
    for (;; s++) {
        int digit;
        if (*s >= '0' && *s <= '9')
            digit = *s - '0';
        else if (*s >= 'a' && *s <= 'z')
            digit = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'Z')
            digit = *s - 'A' + 10;
        else
            break;
        if (digit >= base)
            break;
        value = value * (unsigned long)base + (unsigned long)digit;
    }
    if (end)
        *end = (char *)s;
    return negative ? -(long)value : (long)value;
}

int atoi(const char *s)
{
    return (int)strtol(s, 0, 10);
}

void *malloc(size_t size)
{
    size = (size + 7u) & ~7u;
    void *p = sbrk((intptr_t)size);
    return p == (void *)-1 ? 0 : p;
}

void free(void *p)
{
    (void)p;
}
