#ifndef STRESSD_AFFINITY_H
#define STRESSD_AFFINITY_H

// Why: sched_getaffinity(2) is hidden behind _GNU_SOURCE in glibc's headers,
// so Swift's Glibc module does not see it. The mask is passed as raw bytes so
// the caller can size it for hosts with more CPUs than cpu_set_t holds.

#define _GNU_SOURCE 1
#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

// Declared again because <sched.h> may already have been read without
// _GNU_SOURCE by the time this header is (as for pipe2 in stressd_pipe.h).
int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);

static inline int stressd_sched_getaffinity(size_t size, void *mask) {
    return sched_getaffinity(0, size, (cpu_set_t *)mask);
}

// Pins the calling thread (and the threads it starts later) to one CPU
// (`cpu --cpus`); 0 or -1 with errno. In shims.c: CPU_ALLOC and CPU_SET_S
// are _GNU_SOURCE macros over functions this header may not see declared.
int stressd_pin_to_cpu(int cpu);

#endif
