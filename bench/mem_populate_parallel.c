/* The floor of stressd's memory hog: the least any program doing what it
 * does must spend. The same steps as MemoryHold.grow(to:) and nothing
 * else: 64 MiB mmap(MAP_POPULATE) chunks taken by one thread per CPU at
 * once, then hold them until killed. Beside mem_populate.c (one thread,
 * one mapping: what stress-ng --vm-populate does), it shows how much a
 * second CPU can give on this host.
 *
 *   cc -O2 -pthread -o /tmp/mem_populate_parallel bench/mem_populate_parallel.c
 *   /tmp/mem_populate_parallel 1073741824
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };
static const size_t chunk = 64UL << 20;
static size_t total;
static atomic_size_t next_offset;

static void *populate(void *unused) {
    (void)unused;
    for (;;) {
        size_t at = atomic_fetch_add(&next_offset, chunk);
        if (at >= total) return NULL;
        size_t length = total - at < chunk ? total - at : chunk;
        if (mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0) == MAP_FAILED) {
            perror("mmap");
            exit(1);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s BYTES\n", argv[0]);
        return 2;
    }
    total = strtoull(argv[1], NULL, 10);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int count = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
    pthread_t threads[MAX_THREADS];
    for (int i = 0; i < count; i++) pthread_create(&threads[i], NULL, populate, NULL);
    for (int i = 0; i < count; i++) pthread_join(threads[i], NULL);
    pause();
    return 0;
}
