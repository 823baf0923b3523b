"""A kernel started through jupyter_client for the test drivers, and stopped however the driver ends."""
from contextlib import contextmanager

from jupyter_client.manager import start_new_kernel


@contextmanager
def started_kernel(name, timeout, log=None):
    """The kernel's manager and client; the kernel's stderr goes to the file `log` when one is given."""
    if log:
        with open(log, "w") as log_file:
            km, kc = start_new_kernel(kernel_name=name, startup_timeout=timeout, stderr=log_file)
    else:
        km, kc = start_new_kernel(kernel_name=name, startup_timeout=timeout)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
