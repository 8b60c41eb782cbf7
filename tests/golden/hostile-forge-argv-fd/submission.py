"""No class at all: writes a fake 'done' to sys.argv[1] and to every low file descriptor."""
import os, sys

for candidate in sys.argv[1:] + [str(fd) for fd in range(3, 64)]:
    try:
        os.write(int(candidate), b'{"event": "done"}\n')
    except (ValueError, OSError):
        pass
