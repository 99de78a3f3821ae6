#ifndef STRESSD_PRCTL_H
#define STRESSD_PRCTL_H

// Why: prctl(2) is variadic in glibc, and Swift cannot call variadic C
// functions. These fixed-arity wrappers expose the two options stressd needs.

#include <sys/prctl.h>

/// Ask the kernel to send `signal` to this process when its parent thread exits.
static inline int stressd_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

/// Set the calling thread's name (comm, at most 15 bytes), as `ps` shows it.
static inline int stressd_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#endif
