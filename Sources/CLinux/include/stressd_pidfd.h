#ifndef STRESSD_PIDFD_H
#define STRESSD_PIDFD_H

// Why: Swift's Glibc module does not import <sys/pidfd.h>, and syscall(2) is
// variadic. A pidfd pins one process: a signal sent through it can never hit
// a different process that later reuses the pid.

#include <sys/pidfd.h>
#include <signal.h>
#include <stddef.h>

static inline int stressd_pidfd_open(pid_t pid) {
    return pidfd_open(pid, 0);
}

static inline int stressd_pidfd_send_signal(int pidfd, int signal) {
    return pidfd_send_signal(pidfd, signal, NULL, 0);
}

#endif
