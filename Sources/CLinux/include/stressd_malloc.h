#ifndef STRESSD_MALLOC_H
#define STRESSD_MALLOC_H

// Why: <malloc.h> is not part of Swift's Glibc module, and malloc_trim(3)
// is the one way to hand the free pages of glibc's per-thread arenas back.

#include <malloc.h>

static inline int stressd_malloc_trim(void) {
    return malloc_trim(0);
}

#endif
