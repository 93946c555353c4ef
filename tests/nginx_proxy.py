"""The project's nginx (deploy/nginx/hypex.conf) in front of ASGI servers started by a test.

The shipped file is an `http`-level include for the Docker image. The copy a test runs differs only
where the machine differs, and each change must apply exactly once (a reworded line fails loudly):
- the upstream `server web:8000 ...` line becomes one line per test server, same parameters;
- `listen 80` becomes a free loopback port;
- the static and media aliases (/srv/static/, /srv/media/) point at the test's folders.
The wrapping nginx.conf gives what the image's main config would (mime types, writable temp paths for a
non-root nginx) and an access log of which upstream answered each request (`$upstream_addr`).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.asgi_server import ROOT, _free_port

PROJECT_CONF = ROOT / "deploy" / "nginx" / "hypex.conf"
UPSTREAM_SERVER = re.compile(r"^(\s*)server web:8000( [^;]*)?;$", re.MULTILINE)


def nginx_binary() -> str | None:
    """nginx on PATH (as scripts/check-deploy runs it), or Debian's /usr/sbin for a non-root PATH."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/sbin")


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"deploy/nginx/hypex.conf: expected {old!r} exactly once")
    return text.replace(old, new)


def conf_render(
    *, upstream_ports: list[int], listen_port: int, static_root: Path, media_root: Path, access_log: Path
) -> str:
    conf = PROJECT_CONF.read_text()
    match = UPSTREAM_SERVER.search(conf)
    if match is None or len(UPSTREAM_SERVER.findall(conf)) != 1:
        raise AssertionError("deploy/nginx/hypex.conf: expected one `server web:8000 ...;` upstream line")
    indent, parameters = match.group(1), match.group(2) or ""
    servers = "".join(f"{indent}server 127.0.0.1:{port}{parameters};\n" for port in upstream_ports)
    conf = conf[: match.start()] + servers.rstrip("\n") + conf[match.end() :]
    conf = _replace_once(conf, "listen 80;", f"listen 127.0.0.1:{listen_port};")
    conf = _replace_once(
        conf, "access_log /var/log/nginx/access.log hypex_json;", f"access_log {access_log} hypex_json;"
    )
    conf = _replace_once(conf, "alias /srv/static/;", f"alias {static_root}/;")
    return _replace_once(conf, "alias /srv/media/;", f"alias {media_root}/;")


class NginxProxy:
    def __init__(self, *, upstream_ports: list[int], static_root: Path, media_root: Path, folder: Path) -> None:
        self.port = _free_port()
        self.folder = folder
        self.upstream_ports = upstream_ports
        self.static_root, self.media_root = static_root, media_root
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def _write_conf(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        site = self.folder / "hypex.conf"
        site.write_text(
            conf_render(
                upstream_ports=self.upstream_ports,
                listen_port=self.port,
                static_root=self.static_root,
                media_root=self.media_root,
                access_log=self.access_log,
            )
        )
        temp = "\n".join(
            f"    {kind}_temp_path {self.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        mime = "    include /etc/nginx/mime.types;\n" if Path("/etc/nginx/mime.types").exists() else ""
        main = self.folder / "nginx.conf"
        main.write_text(
            f"pid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.error_log} warn;\n"
            "worker_processes 1;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            f"{mime}{temp}\n"
            f"    include {site};\n"
            "}\n"
        )
        return main

    def start(self, timeout: float = 10) -> NginxProxy:
        binary = nginx_binary()
        assert binary, "nginx is not installed"
        main = self._write_conf()
        with (self.folder / "stderr.log").open("w") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                [binary, "-c", str(main), "-p", str(self.folder), "-e", "stderr", "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.folder / 'stderr.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen on {self.port}")

    def upstream_counts(self, method: str | None = None, path: str | None = None) -> dict[str, int]:
        """Requests per upstream address (`-` when nginx answered itself), from the project's JSON
        access log (its `upstream` field)."""
        counts: dict[str, int] = {}
        for line in self.access_log.read_text().splitlines() if self.access_log.exists() else []:
            entry = json.loads(line)
            if (method is None or entry["method"] == method) and (path is None or entry["path"] == path):
                upstream = entry["upstream"] or "-"
                counts[upstream] = counts.get(upstream, 0) + 1
        return counts

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # fast shutdown: the master stops its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
