"""A local user's listener where an agent would be, for the tests that the
token never reaches it (LocalAttackerEndToEndTests, the extension's
test_server_owner.py): listens dual-stack (127.0.0.1 and ::1) on a free
port and prints it; when its input closes, prints how many bytes anyone
sent it, and exits. Run it as the unprivileged user."""
import select
import socket
import sys

listener = socket.socket(socket.AF_INET6)
listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
listener.bind(("::", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
received, watched = 0, [listener, sys.stdin]
while sys.stdin in watched:
    for ready in select.select(watched, [], [])[0]:
        if ready is listener:
            watched.append(listener.accept()[0])
        elif ready is sys.stdin:
            watched.remove(sys.stdin)
        else:
            data = ready.recv(65536)
            received += len(data)
            if not data:
                watched.remove(ready)
print(received, flush=True)
