/* The least any service can do to tell systemd it is ready (bench/idle_agent.py):
   exec, then one datagram "READY=1" to $NOTIFY_SOCKET, as sd_notify(3) sends,
   then wait to be killed. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(void) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (path == NULL) return 1;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, path, sizeof address.sun_path - 1);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 1;
    if (sendto(fd, "READY=1", 7, 0, (struct sockaddr *)&address, sizeof address) != 7) return 1;
    pause();
    return 0;
}
