// The headers in include/ are static inline but for the one function below,
// which needs _GNU_SOURCE before any system header (see stressd_spawn.h).
#define _GNU_SOURCE 1
#include <spawn.h>
#include "stressd_spawn.h"

int stressd_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
