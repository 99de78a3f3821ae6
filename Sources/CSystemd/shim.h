#ifndef STRESSD_CSYSTEMD_SHIM_H
#define STRESSD_CSYSTEMD_SHIM_H

// Why: the Swift face of libsystemd needs only sd-daemon (notify, watchdog,
// socket activation) and sd-journal's iovec call. sd_journal_send is
// variadic, which Swift refuses; sd_journal_sendv takes an iovec array.

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
