// The headers in include/ are static inline but for the functions below,
// which need _GNU_SOURCE before any system header (see the headers' why).
#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <spawn.h>
#include "stressd_affinity.h"
#include "stressd_spawn.h"

int stressd_pin_to_cpu(int cpu) {
    cpu_set_t *set = CPU_ALLOC(cpu + 1);
    if (set == NULL) return -1;
    size_t size = CPU_ALLOC_SIZE(cpu + 1);
    CPU_ZERO_S(size, set);
    CPU_SET_S(cpu, size, set);
    int result = sched_setaffinity(0, size, set);
    int saved = errno;
    CPU_FREE(set);
    errno = saved;
    return result;
}

int stressd_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
