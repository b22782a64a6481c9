/*
 * The printf family for integers and strings. printf buffers stdout and flushes it at a newline,
 * when the buffer fills, and at exit, so a line reaches the kernel in one write.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
    char *buffer;  /* snprintf target, or 0 for stdout */
    size_t size;
    size_t length; /* characters produced, stored or not */
};

static char out[256];
static size_t out_length;

void fflush_stdout(void)
{
    size_t done = 0;
    while (done < out_length) {
        ssize_t n = write(1, out + done, out_length - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    out_length = 0;
}

static void emit(struct sink *sink, char c)
{
    if (sink->buffer) {
        if (sink->length + 1 < sink->size)
            sink->buffer[sink->length] = c;
    } else {
        out[out_length++] = c;
        if (c == '\n' || out_length == sizeof out)
            fflush_stdout();
    }
    sink->length++;
}

static void pad(struct sink *sink, char c, int count)
{
    while (count-- > 0)
        emit(sink, c);
}

static void format_unsigned(struct sink *sink, uint64_t value, unsigned base, int upper,
                            int negative, int width, int left, char fill)
{
    char digits[24];
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        digits[n++] = alphabet[value % base];
        value /= base;
    } while (value);
    int length = n + negative;
    if (!left && fill == ' ')
        pad(sink, ' ', width - length);
    if (negative)
        emit(sink, '-');
    if (!left && fill == '0')
        pad(sink, '0', width - length);
    while (n)
        emit(sink, digits[--n]);
    if (left)
        pad(sink, ' ', width - length);
}

static void format(struct sink *sink, const char *f, va_list args)
{
    for (; *f; f++) {
        if (*f != '%') {
            emit(sink, *f);
            continue;
        }
        f++;
        int left = 0;
        char fill = ' ';
        for (;; f++) {
            if (*f == '-')
                left = 1;
            else if (*f == '0')
                fill = '0';
            else
                break;
        }
        int width = 0;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        int precision = -1;
        if (*f == '.') {
            precision = 0;
            for (f++; *f >= '0' && *f <= '9'; f++)
                precision = precision * 10 + (*f - '0');
        }
        int longs = 0;
        while (*f == 'l' || *f == 'h') {
            if (*f == 'l')
                longs++;
            f++;
        }
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = longs >= 2 ? va_arg(args, long long) : longs == 1 ? va_arg(args, long) : va_arg(args, int);
            uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            format_unsigned(sink, magnitude, 10, 0, v < 0, width, left, fill);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = longs >= 2 ? va_arg(args, unsigned long long)
                         : longs == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
            format_unsigned(sink, v, base, *f == 'X', 0, width, left, fill);
            break;
        }
        case 'p':
            emit(sink, '0');
            emit(sink, 'x');
            format_unsigned(sink, (uintptr_t)va_arg(args, void *), 16, 0, 0, 8, 0, '0');
            break;
        case 'c':
            if (!left)
                pad(sink, ' ', width - 1);
            emit(sink, (char)va_arg(args, int));
            if (left)
                pad(sink, ' ', width - 1);
            break;
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            int length = (int)strlen(s);
            if (precision >= 0 && precision < length)
                length = precision;
            if (!left)
                pad(sink, ' ', width - length);
            for (int i = 0; i < length; i++)
                emit(sink, s[i]);
            if (left)
                pad(sink, ' ', width - length);
            break;
        }
        case '%':
            emit(sink, '%');
            break;
        case 0:
            return;
        default:
            emit(sink, '%');
            emit(sink, *f);
            break;
        }
    }
}

int vsnprintf(char *buffer, size_t size, const char *f, va_list args)
{
    struct sink sink = {buffer, size, 0};
    format(&sink, f, args);
    if (size)
        buffer[sink.length < size ? sink.length : size - 1] = 0;
    return (int)sink.length;
}

int snprintf(char *buffer, size_t size, const char *f, ...)
{
    va_list args;
    va_start(args, f);
    int n = vsnprintf(buffer, size, f, args);
    va_end(args);
    return n;
}

int vprintf(const char *f, va_list args)
{
    struct sink sink = {0, 0, 0};
    format(&sink, f, args);
    return (int)sink.length;
}

int printf(const char *f, ...)
{
    va_list args;
    va_start(args, f);
    int n = vprintf(f, args);
    va_end(args);
    return n;
}

int putchar(int c)
{
    struct sink sink = {0, 0, 0};
    emit(&sink, (char)c);
    return c;
}

int puts(const char *s)
{
    printf("%s\n", s);
    return 0;
}
