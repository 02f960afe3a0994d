"""What the worker inherits and may reach: environment, network, privileges.

One hostile l03 submission, graded through ``practice grade`` with a secret
in the grader's environment, a TCP server on 127.0.0.1 and a UNIX socket on
disk open to everyone. It prints and raises everything it can find of the
secret, tries every socket, and, when the grader is root, reports its uid and
runs a fork bomb. The secret must appear in no output, the servers must see
no connection, the uid must not be 0, the fork bomb must stop at the process
limit, and every check must score what the honest code in it deserves.
"""

from __future__ import annotations

import os
import select
import socket
import time

import pytest
from conftest import grade, sandbox_processes, submission

from grader.sandbox import confine, host

pytestmark = pytest.mark.slow
L03 = "l03_autograd"
CANARY = "canary-5f1d-not-for-students"
IS_ROOT = os.geteuid() == 0
# the checks the hostile functions fail; every other check passes
RAISES = {
    "test_control_flow_f_runs_d2ls_doubling_loop",  # an error message full of the environment
    "test_control_flow_grad_equals_f_of_a_over_a",
}  # calls control_flow_f; as root, reports its uid
AS_ROOT = {"test_frobenius_of_ones_4_by_9_is_6_without_torch_norm"}  # the fork bomb

HOSTILE = '''
import os, socket, time

_honest = dict(globals())


def _found():
    """The secret and the agent, from this process's environment and its parent's."""
    found = [os.environ.get("GRADER_SECRET_TOKEN"), os.environ.get("SSH_AUTH_SOCK")]
    try:
        with open(f"/proc/{os.getppid()}/environ", "rb") as f:
            found += [entry for entry in f.read().decode(errors="replace").split("\\0")
                      if entry.startswith(("GRADER_SECRET_TOKEN=", "SSH_AUTH_SOCK="))]
    except OSError as exc:
        found.append(f"parent: {type(exc).__name__}")
    return " ".join(map(str, found))


def detached_grad(x):
    print("environment:", _found())  # honest result, leaky output
    return _honest["detached_grad"](x)


def control_flow_f(a):
    raise RuntimeError("environment: " + _found())


def _attempt(family, kind, address, label):
    try:
        s = socket.socket(family, kind)
        s.settimeout(2)
        if kind == socket.SOCK_DGRAM:
            s.sendto(b"leak", address)
        else:
            s.connect(address)
            s.sendall(b"leak")
        print(label, "CONNECTED")
    except OSError as exc:
        print(label, type(exc).__name__)


def norms(v):
    _attempt(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", {port}), "tcp")
    _attempt(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", {udp_port}), "udp")
    _attempt(socket.AF_UNIX, socket.SOCK_STREAM, {unix_path!r}, "unix")
    _attempt(socket.AF_UNIX, socket.SOCK_STREAM, "\\0torch-practice-test", "abstract")
    return _honest["norms"](v)
'''
ROOT_ONLY = """

def control_flow_grad(a):
    raise RuntimeError(f"uid={os.getuid()} euid={os.geteuid()} gid={os.getgid()}")


def frobenius(M):
    children = []
    try:
        while len(children) < {ceiling}:  # the limit should stop it long before
            pid = os.fork()
            if pid == 0:
                time.sleep(1000)
                os._exit(0)
            children.append(pid)
    except OSError as exc:
        raise RuntimeError(f"forked {len(children)} then {type(exc).__name__}") from None
    raise RuntimeError(f"forked {len(children)} without hitting a limit")
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The graded run, the servers' sightings and the grading time."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    unix_path = tmp_path / "agent.sock"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(unix_path))
    unix.listen()
    os.chmod(unix_path, 0o777)  # even a world-writable socket (an X server's, say) stays out of reach
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0torch-practice-test")
    abstract.listen()
    servers = {"tcp": tcp, "udp": udp, "unix": unix, "abstract": abstract}
    code = HOSTILE.replace("{port}", str(tcp.getsockname()[1])).replace("{udp_port}", str(udp.getsockname()[1]))
    code = code.replace("{unix_path!r}", repr(str(unix_path)))
    if IS_ROOT:
        code += ROOT_ONLY.replace("{ceiling}", str(host.PROCESS_LIMIT + 50))
    folder = submission(tmp_path, L03, code)
    gradescope = tmp_path / "results.json"
    start = time.monotonic()
    graded = grade(
        L03,
        "--submission",
        str(folder),
        "--gradescope",
        str(gradescope),
        tmp_path=tmp_path,
        env={"GRADER_SECRET_TOKEN": CANARY, "SSH_AUTH_SOCK": str(unix_path)},
    )
    elapsed = time.monotonic() - start
    reached = [name for name, s in servers.items() if select.select([s], [], [], 0)[0]]
    for s in servers.values():
        s.close()
    return graded, gradescope.read_text(), reached, elapsed


def test_the_graders_environment_reaches_no_output(hostile):
    graded, gradescope, _, _ = hostile
    assert "environment:" in graded.checks()["test_detached_grad_gives_3_x_squared_only"]["output"]
    for where, text in (
        ("stdout", graded.stdout),
        ("stderr", graded.stderr),
        ("JSON report", str(graded.report)),
        ("Gradescope results", gradescope),
    ):
        assert CANARY not in text, f"the grader's secret is in the {where}"
        assert "SSH_AUTH_SOCK" not in text, f"the grader's SSH agent is named in the {where}"


def test_no_socket_reaches_a_server(hostile):
    graded, _, reached, _ = hostile
    if not confine.socket_filter_available() and confine.landlock_abi() < 4:
        pytest.skip("no seccomp filter for this machine and no Landlock network rules (Linux 6.7+) in this kernel")
    output = graded.checks()["test_norms_give_l1_and_l2_without_torch_norm"]["output"]
    assert "CONNECTED" not in output, output
    if confine.socket_filter_available():  # else Landlock holds TCP only
        assert reached == [], f"the worker reached the {reached} server"
    else:
        assert "tcp" not in reached


def test_each_check_scores_what_its_honest_code_deserves(hostile):
    graded = hostile[0]
    failing = RAISES | (AS_ROOT if IS_ROOT else set())
    assert graded.failed() == failing, graded.stdout
    assert graded.report["score"] == sum(c["points"] for name, c in graded.checks().items() if name not in failing)


@pytest.mark.skipif(not IS_ROOT, reason="the worker changes uid only when the grader is root")
def test_a_root_graders_worker_is_not_root(hostile):
    message = hostile[0].checks()["test_control_flow_grad_equals_f_of_a_over_a"]["message"]
    uid = int(message.partition("uid=")[2].split()[0])
    assert uid >= confine.UID_BASE, message
    assert "euid=0" not in message and "gid=0" not in message


@pytest.mark.skipif(not IS_ROOT, reason="the process limit applies only to a worker that is not root")
def test_a_fork_bomb_stops_at_the_process_limit_and_leaves_nothing(hostile):
    graded, _, _, elapsed = hostile
    message = graded.checks()["test_frobenius_of_ones_4_by_9_is_6_without_torch_norm"]["message"]
    assert "BlockingIOError" in message, message
    forked = int(message.partition("forked ")[2].split()[0])
    assert 0 < forked < host.PROCESS_LIMIT
    assert elapsed < 120
    time.sleep(0.5)  # let the kernel finish delivering the kills
    assert sandbox_processes() == []


def test_the_environment_is_allow_listed():
    inherited = {
        "PATH": "/usr/bin",
        "LC_ALL": "C.UTF-8",
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_CORETYPE": "Haswell",
        "CUDA_VISIBLE_DEVICES": "0",
        "TORCH_PRACTICE_DATA": "/data",
        "HOME": "/root",
        "SSH_AUTH_SOCK": "/tmp/agent",
        "GITHUB_TOKEN": "x",
        "AWS_SECRET_ACCESS_KEY": "y",
        "PYTHONPATH": "/evil",
        "LD_PRELOAD": "/evil.so",
    }
    env = confine.worker_environment({"HOME": "/sandbox"}, inherited)
    assert env == {
        "PATH": "/usr/bin",
        "LC_ALL": "C.UTF-8",
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_CORETYPE": "Haswell",
        "CUDA_VISIBLE_DEVICES": "0",
        "TORCH_PRACTICE_DATA": "/data",
        "HOME": "/sandbox",
    }
