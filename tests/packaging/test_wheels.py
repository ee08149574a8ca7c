"""The distributions as users get them: spikewire, spikelite and purespike are built as sdist and
wheel (the wheel from the sdist, so the sdist is complete), installed from those wheels into fresh
venvs, and run there.

- client venv: purespike with no extras, msgpack forced to its pure-Python fallback
  (MSGPACK_PUREPYTHON=1); lupa, pycryptodome, sortedcontainers and spikelite must be absent.
- server venv: spikelite from its wheel, started with `spikelite --port 0`.
- examples/quickstart.py runs in the client venv against that server: put/get/operate/select/
  remove, batch, query, scan, UDF apply, info; and again on every other Python 3.10-3.13 found on
  PATH or in pyenv (the versions the classifiers name).

Needs PyPI (or its mirror) for msgpack and spikelite's dependencies; nothing else from the network.
Run by `./dev test` (pass "packaging") in .venvs/official, which has the pinned build tools.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = (ROOT / "VERSION").read_text().strip()
DISTRIBUTIONS = {"spikewire": ROOT / "wire", "spikelite": ROOT / "server", "purespike": ROOT / "client"}
#: What the bare client venv must not have: the server, the compiled packages it brings, the extras.
ABSENT = ("spikelite", "lupa", "Crypto", "sortedcontainers", "bcrypt")

#: aerospike.calc_digest("test", "pure-digest", "k1"), as the official client computes it.
PURE_DIGEST_K1 = "b4166784dda96ca3a8d1e0749baf2770a04569ef"

pytestmark = pytest.mark.timeout(900)


def _run(argv: list, timeout: float = 600, env: dict | None = None, cwd: Path | None = None) -> str:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd)
    assert proc.returncode == 0, "%s failed (%d):\n%s\n%s" % (argv, proc.returncode, proc.stdout[-3000:],
                                                             proc.stderr[-3000:])
    return proc.stdout


def _venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


def _pip_install(python: Path, *wheels: Path) -> None:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([python, "-m", "pip", "install", "-q", *wheels], env=env)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel of every distribution, built without isolation by the venv's pinned tools."""
    out = tmp_path_factory.mktemp("dist")
    for name, source in DISTRIBUTIONS.items():
        _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source])
    return out


def _wheel(dist: Path, name: str) -> Path:
    (wheel,) = dist.glob("%s-%s-py3-none-any.whl" % (name, VERSION))
    return wheel


@pytest.fixture(scope="module")
def client_python(dist, tmp_path_factory) -> Path:
    python = _venv(tmp_path_factory.mktemp("client-venv") / "venv")
    _pip_install(python, _wheel(dist, "purespike"), _wheel(dist, "spikewire"))
    return python


@pytest.fixture(scope="module")
def server(dist, tmp_path_factory):
    """spikelite installed from its wheel in a venv of its own, listening on a free port."""
    python = _venv(tmp_path_factory.mktemp("server-venv") / "venv")
    _pip_install(python, _wheel(dist, "spikelite"), _wheel(dist, "spikewire"))
    script = python.parent / "spikelite"
    proc = subprocess.Popen([script, "--port", "0", "--config", ROOT / "tests" / "spikelite.conf"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first: list = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    match = re.fullmatch(r"spikelite listening on (\S+):(\d+)\n", first[0]) if first else None
    if match is None:
        proc.kill()
        pytest.fail("spikelite from its wheel did not start: %r %s" % (first, proc.communicate()[1]))
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    yield {"python": python, "script": script, "host": "%s:%s" % match.groups()}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def _bare_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["MSGPACK_PUREPYTHON"] = "1"
    return env


def test_every_distribution_builds_an_sdist_and_a_wheel_with_complete_metadata(dist):
    for name in DISTRIBUTIONS:
        sdist = dist / ("%s-%s.tar.gz" % (name, VERSION))
        assert sdist.is_file(), sorted(p.name for p in dist.iterdir())
        with tarfile.open(sdist) as tar:
            members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
        for required in ("pyproject.toml", "README.md", "LICENSE", "VERSION"):
            assert members[required].isfile(), (name, required)  # symlinks resolved into files
        with zipfile.ZipFile(_wheel(dist, name)) as wheel:
            (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
            meta = email.parser.Parser().parsestr(wheel.read(meta_name).decode())
            assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())
        assert meta["Name"] == name and meta["Version"] == VERSION
        assert meta["License-Expression"] == "MIT"
        assert meta["Requires-Python"] == ">=3.10"
        assert meta["Description-Content-Type"] == "text/markdown" and len(meta.get_payload()) > 200
        classifiers = meta.get_all("Classifier")
        for minor in (10, 11, 12, 13):
            assert "Programming Language :: Python :: 3.%d" % minor in classifiers
        urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
        assert set(urls) == {"Homepage", "Source", "Issues"}


def test_purespike_requires_only_the_codec_and_msgpack(dist):
    with zipfile.ZipFile(_wheel(dist, "purespike")) as wheel:
        (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(wheel.read(meta_name).decode())
        assert not [n for n in wheel.namelist() if n.startswith(("spikelite/", "spikewire/"))]
    requires = meta.get_all("Requires-Dist")
    assert sorted(r for r in requires if "extra ==" not in r) == ["msgpack<2,>=1.0", "spikewire<0.2,>=0.1"]
    extras = {}
    for req in requires:
        if "extra ==" in req:
            spec, extra = req.split(";")
            extras.setdefault(extra.split("==")[1].strip().strip("'\""), []).append(spec.strip())
    assert extras == {"embedded": ["spikelite<0.2,>=0.1"], "lua": ["lupa<3,>=2.0", "spikelite<0.2,>=0.1"],
                      "auth": ["bcrypt<6,>=4"], "uvloop": ["uvloop<1,>=0.19"]}


def test_spikelite_requires_the_codec_and_no_compiled_digest(dist):
    with zipfile.ZipFile(_wheel(dist, "spikelite")) as wheel:
        (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(wheel.read(meta_name).decode())
        assert "spikelite/udf/prelude.lua" in wheel.namelist()
        assert not [n for n in wheel.namelist() if n.startswith(("spikewire/", "aerospike/"))]
    requires = meta.get_all("Requires-Dist")
    assert sorted(r for r in requires if "extra ==" not in r) == [
        "lupa<3,>=2.0", "msgpack<2,>=1.0", "sortedcontainers<3,>=2.4", "spikewire<0.2,>=0.1"]
    assert [r.split(";")[0] for r in requires if "extra ==" in r] == ["spikewire[fast-digest]<0.2,>=0.1",
                                                                      "uvloop<1,>=0.19"]
    assert [r for r in requires if r.startswith("uvloop")][0].endswith(
        'sys_platform != "win32" and extra == "uvloop"')


def test_bare_client_venv_has_no_server_and_no_compiled_dependency(client_python):
    code = """
import importlib.util, json, sys
import msgpack
import aerospike
print(json.dumps({"absent": [n for n in %r if importlib.util.find_spec(n) is None],
                  "msgpack": msgpack.Packer.__module__,
                  "loaded": sorted(sys.modules)}))
""" % (ABSENT,)
    report = json.loads(_run([client_python, "-c", code], env=_bare_env()))
    assert report["absent"] == list(ABSENT)
    assert report["msgpack"] == "msgpack.fallback"  # the pure-Python msgpack
    assert "aerospike._client" in report["loaded"]


def test_quickstart_in_the_bare_client_venv_against_spikelite_from_its_wheel(client_python, server, tmp_path):
    out = _run([client_python, ROOT / "examples" / "quickstart.py", "--host", server["host"]],
               env=_bare_env(), cwd=tmp_path, timeout=300)
    lines = out.splitlines()
    assert lines[0] == "client: purespike"
    expected = [
        "get     -> {'name': 'Ada', 'visits': 1, 'tags': ['math']} | generation 1",
        "operate -> {'visits': 2} | generation 2",
        "select  -> {'name': 'Ada', 'lang': 'en'}",
        "remove  -> record is gone",
        "batch   -> [0, 1, 2]",
        "query   -> [3, 4, 5]",
        "scan    -> 10 records",
        "udf     -> 41",
        "info    -> namespaces: test, ttl",
    ]
    assert lines[2:] == expected, out
    assert list(tmp_path.iterdir()) == []  # the UDF copy went to a temporary lua.user_path


def test_missing_extras_name_their_pip_install_in_the_bare_client_venv(client_python, server):
    code = """
import aerospike
try:
    aerospike.client({"embedded": True})
except aerospike.exception.ClientError as exc:
    print(exc.msg)
host, port = %r.rsplit(":", 1)
client = aerospike.client({"hosts": [(host, int(port))]}).connect()
query = client.query("test", "nothing")
query.apply("some_module", "some_function")
try:
    query.results()
except aerospike.exception.ClientError as exc:
    print(exc.msg)
try:
    aerospike.client({"hosts": [(host, int(port))], "user": "u", "password": "p"}).connect()
except aerospike.exception.ClientError as exc:
    print(exc.msg)
client.close()
""" % server["host"]
    assert _run([client_python, "-c", code], env=_bare_env()).splitlines() == [
        "an embedded server needs the 'spikelite' package: pip install 'purespike[embedded]'",
        "client-side aggregation (Query/Scan apply) needs the 'lupa' package: pip install 'purespike[lua]'",
        "user/password login needs the 'bcrypt' package: pip install 'purespike[auth]'",
    ]


def test_spikelite_from_its_wheel_reports_its_version(server):
    assert _run([server["script"], "--version"]).strip() == "spikelite %s" % VERSION


def test_bare_client_venv_without_openssl_ripemd160_uses_the_pure_python_digest(client_python, server):
    code = """
import hashlib
real_new = hashlib.new
def new(name, *args, **kwargs):
    if name.lower() == "ripemd160":
        raise ValueError("unsupported hash type " + name)
    return real_new(name, *args, **kwargs)
hashlib.new = new
import aerospike, spikewire.keys, spikewire.ripemd160
assert spikewire.keys.ripemd160 is spikewire.ripemd160.RIPEMD160
host, port = %r.rsplit(":", 1)
client = aerospike.client({"hosts": [(host, int(port))]}).connect()
key = ("test", "pure-digest", "k1")
client.put(key, {"v": 1})
(_, _, _, digest), _, bins = client.get(key)
print(aerospike.calc_digest(*key).hex(), bytes(digest).hex(), bins)
client.remove(key)
client.close()
""" % server["host"]
    local, from_server, bins = _run([client_python, "-c", code], env=_bare_env()).split(" ", 2)
    # the same record digest the official client computes for ("pure-digest", "k1")
    assert local == from_server == PURE_DIGEST_K1
    assert bins.strip() == "{'v': 1}"


def _other_supported_pythons() -> list:
    """Interpreters for the other Python versions the classifiers name (3.10-3.13): on PATH, or
    installed by pyenv."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = []
    for minor in (10, 11, 12, 13):
        if minor == sys.version_info.minor:
            continue
        name = "python3.%d" % minor
        candidates = [shutil.which(name)] + sorted(str(p) for p in pyenv.glob("3.%d.*/bin/%s" % (minor, name)))
        for path in filter(None, candidates):
            check = subprocess.run([path, "-c", "import venv, ensurepip"], capture_output=True)
            if check.returncode == 0:
                found.append(("3.%d" % minor, path))
                break
    return found


def test_quickstart_on_the_other_python_versions_the_classifiers_name(dist, client_python, server, tmp_path):
    pythons = _other_supported_pythons()
    if not pythons:
        pytest.skip("no other Python 3.10-3.13 on PATH or in pyenv")
    print("other Python versions checked: %s" % ", ".join(v for v, _ in pythons))
    for version, interpreter in pythons:
        target = tmp_path / ("venv" + version)
        _run([interpreter, "-m", "venv", "--without-pip", target])  # the client venv's pip installs
        python = target / "bin" / "python"
        _run([client_python, "-m", "pip", "--python", python, "install", "-q", _wheel(dist, "purespike"),
              _wheel(dist, "spikewire")], env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
        out = _run([python, ROOT / "examples" / "quickstart.py", "--host", server["host"]], env=_bare_env(),
                   cwd=tmp_path, timeout=300)
        assert _run([python, "-c", "import sys; print(sys.version_info[:2])"]).strip() == "(3, %s)" % version[2:]
        assert out.splitlines()[-4:] == ["query   -> [3, 4, 5]", "scan    -> 10 records", "udf     -> 41",
                                         "info    -> namespaces: test, ttl"], (version, out)
