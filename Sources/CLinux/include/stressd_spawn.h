#ifndef STRESSD_SPAWN_H
#define STRESSD_SPAWN_H

// Why: POSIX_SPAWN_SETSID is defined only under _GNU_SOURCE, which Swift's
// Glibc module does not define. A cleanup watchdog is spawned into a session
// of its own, so that closing the supervisor's terminal does not hang it up.

#define _GNU_SOURCE 1
#include <spawn.h>

#ifdef POSIX_SPAWN_SETSID
#define STRESSD_POSIX_SPAWN_SETSID POSIX_SPAWN_SETSID
#else
// <spawn.h> was read without _GNU_SOURCE first; glibc's value since 2.26.
#define STRESSD_POSIX_SPAWN_SETSID 0x80
#endif

// Why: posix_spawn_file_actions_addclosefrom_np (glibc 2.34) is declared only
// under _GNU_SOURCE too, so it is wrapped in shims.c. A child keeps nothing
// of its parent but fds 0-2: a descriptor without close-on-exec (a socket
// systemd passed, one a library opened) would otherwise live on in a cleanup
// watchdog that outlives the agent, keeping its port busy after a restart.
int stressd_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
