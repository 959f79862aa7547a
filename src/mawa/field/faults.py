"""Fault points: named places in sync where the reliability tests make the process fail.

`fault(name)` does nothing in normal use. A test sets `faults.hook` to a function that raises
(to stand for a killed process between writes or inside a transaction); at "file.write" it is
given the open file and the bundle, and writes part of it before raising (a file cut off).
"""

hook = None


def fault(name: str, *args):
    if hook is not None:
        return hook(name, *args)
    return None
