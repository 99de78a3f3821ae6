#ifndef STRESSD_SYSTEMD_H
#define STRESSD_SYSTEMD_H

// Why: the four libsystemd calls stressd makes, reached through dlopen(3)
// the first time one is used instead of linking libsystemd. Linking it makes
// every process load libsystemd and its six dependencies (libgcrypt, liblzma,
// libzstd, liblz4, libcap, libgpg-error): about 1.4 ms of start-up measured
// for every command and every worker, when only `stressd serve` uses it.
// sd_journal_send is variadic, which Swift refuses; sd_journal_sendv takes an
// iovec array.
//
// Each returns what libsystemd's function returns, or -ENOSYS when
// libsystemd.so.0 cannot be loaded (a host without systemd: nothing listens).

#include <stdint.h>
#include <sys/uio.h>

/// The first descriptor socket activation passes (SD_LISTEN_FDS_START).
#define STRESSD_LISTEN_FDS_START 3

int stressd_sd_notify(int unset_environment, const char *state);
int stressd_sd_listen_fds(int unset_environment);
int stressd_sd_watchdog_enabled(int unset_environment, uint64_t *microseconds);
int stressd_sd_journal_sendv(const struct iovec *vectors, int count);

#endif
