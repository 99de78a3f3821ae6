/* The least an I/O load can do, for bench/io_load.py: one file made and
 * laid out as stressd's worker does (fallocate, written whole in 1 MiB
 * direct writes, fdatasync), then one block per pread/pwrite with O_DIRECT
 * at random or sequential block offsets for SECONDS, nothing timed per
 * operation and nothing reported but the total. Prints bytes per second.
 *
 * usage: io_floor DIR BYTES BLOCK READ_PERCENT random|sequential SECONDS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t next(uint64_t *state) {  /* splitmix64 */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: io_floor DIR BYTES BLOCK READ_PERCENT random|sequential SECONDS\n"); return 2; }
    size_t bytes = strtoull(argv[2], NULL, 10), block = strtoull(argv[3], NULL, 10);
    int read_percent = atoi(argv[4]), sequential = strcmp(argv[5], "sequential") == 0;
    double seconds = atof(argv[6]);
    char path[4096];
    snprintf(path, sizeof path, "%s/floor-%d", argv[1], getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_DIRECT, 0600);
    if (fd < 0) { perror("open"); return 1; }
    unlink(path);
    void *buffer, *chunk;
    if (posix_memalign(&buffer, 4096, block) || posix_memalign(&chunk, 4096, 1 << 20)) return 1;
    memset(buffer, 0x5a, block);
    memset(chunk, 0xa5, 1 << 20);
    if (fallocate(fd, 0, 0, bytes) != 0) { perror("fallocate"); return 1; }
    for (size_t offset = 0; offset < bytes; offset += 1 << 20)
        if (pwrite(fd, chunk, 1 << 20, offset) != 1 << 20) { perror("layout"); return 1; }
    fdatasync(fd);
    uint64_t blocks = bytes / block, state = 42, n = 0, moved = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        uint64_t r = next(&state);
        uint64_t b = sequential ? n % blocks : r % blocks;
        int is_read = (int)((r >> 40) % 100) < read_percent;
        ssize_t done = is_read ? pread(fd, buffer, block, b * block) : pwrite(fd, buffer, block, b * block);
        if (done != (ssize_t)block) { perror("io"); return 1; }
        moved += block;
        n++;
        if ((n & 15) == 0) t = now();
    }
    printf("%.0f\n", moved / (now() - start));
    return 0;
}
