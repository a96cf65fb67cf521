"""Runs a command in a real pseudo-terminal, the way a person at a terminal would, for the tests.

Reads a JSON spec on stdin:
  {"argv": [...], "env": {...}, "cols": 60, "rows": 40, "timeout": 60,
   "steps": [{"waitFor": "regex", "send": "text"}, ...]}
Each step waits until the output written since the previous step matches `waitFor` (a Python
regex), then types `send`. After the last step it waits for the process to end. Prints one JSON
object: {"output": everything the program wrote, "exitCode": n, "timedOut": bool, "step": i}.
No new native dependency: only Python's own pty module.
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

spec = json.load(sys.stdin)
cols, rows = spec.get("cols", 80), spec.get("rows", 40)
deadline = time.monotonic() + spec.get("timeout", 60)

pid, fd = pty.fork()
if pid == 0:
    # The child: its terminal gets the size before the program asks for it.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ)
    env.update(spec.get("env", {}))
    os.execvpe(spec["argv"][0], spec["argv"], env)

output = b""


def read_some(wait):
    global output
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    output += chunk
    return True


result = {"timedOut": False, "step": None}
mark = 0
for index, step in enumerate(spec.get("steps", [])):
    pattern = re.compile(step["waitFor"].encode("utf-8"), re.S) if step.get("waitFor") else None
    alive = True
    while pattern is not None and not pattern.search(output, mark):
        if time.monotonic() > deadline or not alive:
            result.update(timedOut=True, step=index)
            break
        alive = read_some(0.2)
    if result["timedOut"]:
        break
    mark = len(output)
    os.write(fd, step["send"].encode("utf-8"))

code = None
while code is None:
    if time.monotonic() > deadline:
        result["timedOut"] = True
        os.kill(pid, 9)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
        break
    read_some(0.2)
while read_some(0.05):
    if time.monotonic() > deadline:
        break

result.update(output=output.decode("utf-8", "replace"), exitCode=code)
print(json.dumps(result))
