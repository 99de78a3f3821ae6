/* How MemoryHold's chunking compares with one mmap(MAP_POPULATE) of the
 * whole size: same syscalls as MemoryHold (one populated mapping per chunk,
 * optionally mlock'ed), timed in-process, so only the kernel's share is
 * measured. Warm-up rounds first (the first large touch after idle is
 * several times slower), then every variant once per round, interleaved;
 * prints the median per variant.
 *
 *   cc -O2 -o /tmp/mem_hold_chunks bench/mem_hold_chunks.c
 *   /tmp/mem_hold_chunks 536870912 9
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { MAX_CHUNKS = 4096, VARIANTS = 6 };
static const size_t chunk_mib[VARIANTS] = {0, 16, 64, 128, 64, 0};
static const int locked[VARIANTS] = {0, 0, 0, 0, 1, 2};
static const char *names[VARIANTS] = {
    "one mapping", "16 MiB chunks", "64 MiB chunks", "128 MiB chunks",
    "64 MiB chunks + mlock", "one mapping MAP_LOCKED"};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double run(size_t total, int variant) {
    void *maps[MAX_CHUNKS];
    size_t lengths[MAX_CHUNKS];
    size_t chunk = chunk_mib[variant] ? chunk_mib[variant] << 20 : total;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | (locked[variant] == 2 ? MAP_LOCKED : 0);
    int count = 0;
    double start = now();
    for (size_t held = 0; held < total && count < MAX_CHUNKS; count++) {
        size_t length = total - held < chunk ? total - held : chunk;
        maps[count] = mmap(NULL, length, PROT_READ | PROT_WRITE, flags, -1, 0);
        if (maps[count] == MAP_FAILED) { perror("mmap"); exit(1); }
        if (locked[variant] == 1 && mlock(maps[count], length) != 0) { perror("mlock"); exit(1); }
        lengths[count] = length;
        held += length;
    }
    double elapsed = now() - start;
    for (int i = 0; i < count; i++) munmap(maps[i], lengths[i]);
    return elapsed;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t total = argc > 1 ? strtoull(argv[1], NULL, 10) : 512u << 20;
    int rounds = argc > 2 ? atoi(argv[2]) : 9;
    if (rounds < 1 || rounds > 100) rounds = 9;
    double times[VARIANTS][100];
    for (int warm = 0; warm < 3; warm++) run(total, 0);
    for (int r = 0; r < rounds; r++)
        for (int v = 0; v < VARIANTS; v++) times[(v + r) % VARIANTS][r] = run(total, (v + r) % VARIANTS);
    printf("%zu MiB, %d rounds, warm, median (min..max):\n", total >> 20, rounds);
    for (int v = 0; v < VARIANTS; v++) {
        qsort(times[v], rounds, sizeof(double), compare);
        printf("  %-24s %7.1f ms  (%.1f..%.1f)  %.2fx one mapping\n", names[v], times[v][rounds / 2] * 1e3,
               times[v][0] * 1e3, times[v][rounds - 1] * 1e3, times[v][rounds / 2] / times[0][rounds / 2]);
    }
    return 0;
}
