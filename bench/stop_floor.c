/* The floor a stop is measured against (bench/stop_latency.py): the least a
 * supervisor must do between SIGTERM and its exit. It forks one child (which,
 * given BYTES, first holds that much memory resident, as a hog does), then
 * creates FILE to say it is ready; on SIGTERM it kills and reaps the child,
 * unlinks FILE and exits. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;
static const char *file;

/* Everything here is async-signal-safe. */
static void stop(int number) {
    (void)number;
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    unlink(file);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s FILE [BYTES]\n", argv[0]);
        return 2;
    }
    file = argv[1];
    size_t bytes = argc == 3 ? strtoull(argv[2], NULL, 10) : 0;
    /* SIGTERM waits (blocked) until the child is up and FILE exists. */
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);
    struct sigaction action = {.sa_handler = stop};
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    int ready[2];
    if (pipe(ready) != 0) {
        perror("pipe");
        return 1;
    }
    child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        sigprocmask(SIG_UNBLOCK, &term, NULL);
        if (bytes > 0 && mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                              -1, 0) == MAP_FAILED)
            _exit(1);
        if (write(ready[1], "", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(ready[1]);
    char byte;
    if (read(ready[0], &byte, 1) != 1) {
        fprintf(stderr, "%s: the child did not start\n", argv[0]);
        return 1;
    }
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        perror(file);
        kill(child, SIGKILL);
        return 1;
    }
    close(fd);
    sigprocmask(SIG_UNBLOCK, &term, NULL);
    for (;;)
        pause();
}
