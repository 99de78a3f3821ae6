// The least a fill that can always be undone has to do, in C: the steps
// `stressd disk` takes between its start and the space being taken, without
// its start-up, parsing, validation or guards: the floor of any program
// that records the fill durably before the first byte, printed beside the
// agent's fill and stressd's command (bench/mem_disk.py).
//
// usage: durable_fill STATE_DIR PATH BYTES   (holds the fill until killed)
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what) {
    perror(what);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s STATE_DIR PATH BYTES\n", argv[0]);
        return 2;
    }
    const char *state = argv[1], *path = argv[2];
    long long bytes = atoll(argv[3]);
    char folder[4096], record[4096], temporary[4200], file[4200], json[8192];
    snprintf(folder, sizeof folder, "%s/.stressd-fill-floor-%d", path, getpid());
    snprintf(record, sizeof record, "%s/floor-%d.json", state, getpid());
    snprintf(temporary, sizeof temporary, "%s.tmp", record);
    int length = snprintf(json, sizeof json, "{\"paths\": [\"%s\"]}\n", folder);

    // The ledger record, durable before the first byte: write it, fsync it,
    // rename it into place, fsync the directory (as stressd's AtomicFile does).
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, json, length) != length || fsync(fd) != 0 || close(fd) != 0) fail(temporary);
    if (rename(temporary, record) != 0) fail(record);
    int directory = open(state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0 || fsync(directory) != 0) fail(state);
    close(directory);

    // The fill: a folder of its own, one file, fallocate.
    if (mkdir(folder, 0700) != 0) fail(folder);
    snprintf(file, sizeof file, "%s/fill-0000", folder);
    fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || fallocate(fd, 0, 0, bytes) != 0) fail(file);
    close(fd);
    pause();
    return 0;
}
