/*
 * The demo `nanvix run` shows when given no program: four worker threads multiply two 16x16 matrices, a band
 * of four rows each, and add the sum of their band to a total under a mutex. Workers do not print: the main
 * thread prints their results in creation order after joining them, so the output is the same whatever order
 * the threads ran in. It then checks the total against a computation of its own.
 */
#include <nanvix/thread.h>
#include <stdint.h>
#include <stdio.h>

#define N 16
#define WORKERS 4
#define ROWS (N / WORKERS)

static int32_t a[N][N], b[N][N], c[N][N];

struct worker {
    int first_row;
    nanvix_tid_t tid; /* as the worker sees itself */
    int32_t sum;      /* of its band of c */
};

static struct worker workers[WORKERS];
static nanvix_mutex_t total_lock;
static int32_t total;

static void *multiply_band(void *arg)
{
    struct worker *w = arg;
    w->tid = nanvix_thread_self();
    int32_t sum = 0;
    for (int i = w->first_row; i < w->first_row + ROWS; i++)
        for (int j = 0; j < N; j++) {
            int32_t s = 0;
            for (int k = 0; k < N; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
            sum += s;
        }
    w->sum = sum;
    nanvix_mutex_lock(&total_lock);
    total += sum;
    nanvix_mutex_unlock(&total_lock);
    return w;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = i + j;
            b[i][j] = i - j + 1;
        }
    printf("demo: multiplying two %dx%d matrices with %d threads, %d rows each\n", N, N, WORKERS, ROWS);

    int error = nanvix_mutex_init(&total_lock);
    if (error) {
        printf("demo: mutex_init failed: error %d\n", error);
        return 1;
    }
    nanvix_tid_t tids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        workers[w].first_row = w * ROWS;
        error = nanvix_thread_create(&tids[w], multiply_band, &workers[w]);
        if (error) {
            printf("demo: thread_create failed: error %d\n", error);
            return 1;
        }
    }
    for (int w = 0; w < WORKERS; w++)
        nanvix_thread_join(tids[w], 0);
    nanvix_mutex_destroy(&total_lock);

    for (int w = 0; w < WORKERS; w++)
        printf("worker %d (tid %d): rows %2d-%2d, sum %d\n", w, workers[w].tid, workers[w].first_row,
               workers[w].first_row + ROWS - 1, workers[w].sum);

    /* The same sum, computed the slow way by one thread: sum over i, j, k of a[i][k] * b[k][j]. */
    int32_t expected = 0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++)
            for (int j = 0; j < N; j++)
                expected += a[i][k] * b[k][j];
    printf("demo: %d threads, total %d, %s\n", WORKERS, total, total == expected ? "correct" : "WRONG");
    return total == expected ? 0 : 1;
}
