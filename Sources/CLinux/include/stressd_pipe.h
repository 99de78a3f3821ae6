#ifndef STRESSD_PIPE_H
#define STRESSD_PIPE_H

// Why: pipe2(2) is hidden behind _GNU_SOURCE in glibc's headers, so Swift's
// Glibc module does not see it. Creating both ends close-on-exec atomically
// keeps them out of workers spawned concurrently by other threads.

#define _GNU_SOURCE 1
#include <fcntl.h>
#include <unistd.h>

int pipe2(int pipefd[2], int flags);

static inline int stressd_pipe_cloexec(int ends[2]) {
    return pipe2(ends, O_CLOEXEC);
}

#endif
