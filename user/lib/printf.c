/*
 * The printf family for integers and strings. Each printf call formats into a buffer on its own stack and
 * hands the result to the kernel in one write at the end of the call, so lines that threads print at the same
 * time never interleave mid-line and no buffer is shared between threads. Output longer than that buffer goes
 * out in several writes. putchar alone buffers in a shared buffer, flushed at a newline, when full, before the
 * next printf (to keep the order) and at exit; it is not meant for several threads at once.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* printf's buffer: a whole line in the usual case, small enough for a thread's 4 KB stack. */
#define PRINTF_BUFFER 256

struct sink {
    char *buffer;  /* the snprintf target, or the printf call's own buffer */
    size_t size;
    size_t length; /* characters produced, stored or not */
    int stream;    /* 1: buffer is printf's, written to stdout when full and at the end of the call */
    size_t used;   /* characters in a printf buffer not written yet */
};

static char out[256];
static size_t out_length;

static void write_all(const char *data, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(1, data + done, length - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
}

void fflush_stdout(void)
{
    write_all(out, out_length);
    out_length = 0;
}

static void flush_sink(struct sink *sink)
{
    write_all(sink->buffer, sink->used);
    sink->used = 0;
}

static void emit(struct sink *sink, char c)
{
    if (sink->stream) {
        sink->buffer[sink->used++] = c;
        if (sink->used == sink->size)
            flush_sink(sink);
    } else if (sink->length + 1 < sink->size) {
        sink->buffer[sink->length] = c;
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
    struct sink sink = {buffer, size, 0, 0, 0};
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
    char line[PRINTF_BUFFER];
    struct sink sink = {line, sizeof line, 0, 1, 0};
    fflush_stdout(); /* what putchar left in the shared buffer comes first */
    format(&sink, f, args);
    flush_sink(&sink);
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
    out[out_length++] = (char)c;
    if (c == '\n' || out_length == sizeof out)
        fflush_stdout();
    return c;
}

int puts(const char *s)
{
    printf("%s\n", s);
    return 0;
}
