"""What the presse-serve tests share: a throw-away database of corpus/ plus the XSS releases, a
server started on a free loopback port (port 0: the server picks one and logs it) and stopped by
its PID, HTTP requests with the raw status and headers, and pass/fail counting."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

SEED = "000_stadt-hagen-fachtag-migrantenorganisationen.md"

# Releases whose text must show as text: a title that is an HTML element, and "</script> in the
# text (inline script would end there).
XSS = [
    {"id": "xss-title", "title": "<img src=x onerror=alert(1)>", "date": "2025-02-03",
     "text": "<img src=x onerror=alert(1)>\n\nSicherheitstest Zeppelinhangar: der Titel ist ein HTML-Element."},
    {"id": "xss-text", "title": "Sicherheitstest Zeppelinhangar mit Skript-Ende", "date": "2025-02-04",
     "text": "Sicherheitstest Zeppelinhangar mit Skript-Ende\n\nIm Text steht \"</script><script>alert(2)</script> "
             "und <b onmouseover=alert(3)>fett</b>."},
]


class Checks:
    def __init__(self, name):
        self.name, self.passes, self.fails = name, 0, 0

    def check(self, cond, what):
        if cond:
            self.passes += 1
        else:
            self.fails += 1
            print("FAIL: " + what, file=sys.stderr, flush=True)
        return cond

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passes, self.fails))
        sys.exit(1 if self.fails else 0)


def tmpdir():
    base = os.environ.get("PRESSE_TEST_TMP") or None
    return tempfile.mkdtemp(prefix="serve.", dir=base)


def build_db(index, src, db, extra=True):
    """corpus/ and the XSS releases in a new database."""
    subprocess.run([index, "--db", db, "-q", "add", os.path.join(src, "corpus")], check=True)
    if extra:
        jl = db + ".xss.jsonl"
        with open(jl, "w", encoding="utf-8") as f:
            for r in XSS:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        subprocess.run([index, "--db", db, "-q", "add", "--jsonl", jl], check=True)


class Server:
    def __init__(self, exe, db, *args, threads=4):
        self.log_path = db + ".serve.%d.log" % os.getpid()
        self.log = open(self.log_path, "w+b")
        self.proc = subprocess.Popen([exe, "--db", db, "--listen", "127.0.0.1:0", "--threads", str(threads)] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = None
        deadline = time.time() + 60
        while time.time() < deadline and self.proc.poll() is None:
            m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)/", open(self.log_path, "rb").read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if not self.port:
            self.stop()
            raise RuntimeError("presse-serve did not start: " + self.log_text())

    def log_text(self):
        return open(self.log_path, "rb").read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None, timeout=60):
        """(status, headers as a dict with lower-case names, body bytes); path is sent as is."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            if body is not None:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders()
            if body is not None:
                c.send(body)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def raw(self, data, timeout=30):
        """Sends bytes as they are; (status, body) of the answer, read until the server closes or
        a whole response with Content-Length has arrived."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        got = b""
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # answered and closed before all was sent
            while True:
                head, sep, rest = got.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)content-length: *(\d+)", head)
                if sep and m and len(rest) >= int(m.group(1)):
                    break
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                got += chunk
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
        return (int(m.group(1)) if m else 0), got.partition(b"\r\n\r\n")[2]

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def json(self, path, **kw):
        st, h, body = self.get(path, **kw)
        try:
            return st, json.loads(body)
        except ValueError:
            return st, None

    def stop(self):
        """SIGTERM to the PID; the exit status (0 after a clean shutdown, also under ASan)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                return -9
        return self.proc.returncode


def q(s):
    return urllib.parse.quote(s, safe="")


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)
