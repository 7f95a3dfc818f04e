#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and types a line when it asks for a passphrase.

Usage: type-into-tty.py <line> <command> [args...]  (exits with the command's status)
Tools such as `age -d` read passphrases only from a terminal, never from standard input.
"""
import os
import pty
import sys

line, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b''
typed = False
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not typed and b'passphrase' in seen.lower():
        os.write(fd, line.encode() + b'\n')
        typed = True
_, status = os.waitpid(pid, 0)
sys.stderr.write(seen.decode(errors='replace') if os.waitstatus_to_exitcode(status) else '')
sys.exit(os.waitstatus_to_exitcode(status))
