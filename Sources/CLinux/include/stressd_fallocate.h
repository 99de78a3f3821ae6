#ifndef STRESSD_FALLOCATE_H
#define STRESSD_FALLOCATE_H

// Why: fallocate(2) is declared only under _GNU_SOURCE, which Swift's Glibc
// module does not define. It reserves a file's blocks without writing them:
// a 4 GiB fill takes milliseconds instead of seconds of writes.

#define _GNU_SOURCE 1
#include <fcntl.h>
#include <sys/types.h>

int fallocate(int fd, int mode, off_t offset, off_t len);

static inline int stressd_fallocate(int fd, off_t length) {
    return fallocate(fd, 0, 0, length);
}

#endif
