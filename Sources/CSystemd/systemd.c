#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "stressd_systemd.h"

// The pointers take their types from libsystemd's own headers, so a
// signature that does not match is a compile error, not a crash.
static struct {
    __typeof__(sd_notify) *notify;
    __typeof__(sd_listen_fds) *listen_fds;
    __typeof__(sd_watchdog_enabled) *watchdog_enabled;
    __typeof__(sd_journal_sendv) *journal_sendv;
} libsystemd;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    libsystemd.notify = (__typeof__(libsystemd.notify))dlsym(library, "sd_notify");
    libsystemd.listen_fds = (__typeof__(libsystemd.listen_fds))dlsym(library, "sd_listen_fds");
    libsystemd.watchdog_enabled = (__typeof__(libsystemd.watchdog_enabled))dlsym(library, "sd_watchdog_enabled");
    libsystemd.journal_sendv = (__typeof__(libsystemd.journal_sendv))dlsym(library, "sd_journal_sendv");
}

int stressd_sd_notify(int unset_environment, const char *state) {
    pthread_once(&loaded, load);
    return libsystemd.notify ? libsystemd.notify(unset_environment, state) : -ENOSYS;
}

int stressd_sd_listen_fds(int unset_environment) {
    pthread_once(&loaded, load);
    return libsystemd.listen_fds ? libsystemd.listen_fds(unset_environment) : -ENOSYS;
}

int stressd_sd_watchdog_enabled(int unset_environment, uint64_t *microseconds) {
    pthread_once(&loaded, load);
    return libsystemd.watchdog_enabled ? libsystemd.watchdog_enabled(unset_environment, microseconds) : -ENOSYS;
}

int stressd_sd_journal_sendv(const struct iovec *vectors, int count) {
    pthread_once(&loaded, load);
    return libsystemd.journal_sendv ? libsystemd.journal_sendv(vectors, count) : -ENOSYS;
}
