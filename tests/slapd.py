"""A real OpenLDAP ``slapd`` on loopback ports, for the LDAP login tests.

It runs with its own configuration, database and TLS certificate (from
``trustme``) in a temporary folder, loaded with ``DATA`` by ``slapadd``
before it starts: plain LDAP (and StartTLS) on one port, LDAPS on another.
The directory refuses anonymous reads, as most do: Lindos searches with the
service account ``SERVICE_DN``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMA = "/etc/ldap/schema"
MODULES = "/usr/lib/ldap"

SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
SERVICE_DN = f"cn=lindos,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"

CONFIG = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {schema}/nis.schema
modulepath {modules}
moduleload back_mdb
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key
sizelimit 50

database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw admin-secret
directory {folder}/data
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by anonymous auth
"""

DATA = f"""\
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: person
cn: lindos
sn: service
userPassword: {SERVICE_PASSWORD}

dn: uid=lena,{PEOPLE}
objectClass: inetOrgPerson
uid: lena
cn: Lena Ldap
givenName: Lena
sn: Ldap
mail: lena@example.com
userPassword: lena-secret

dn: uid=olaf,{PEOPLE}
objectClass: inetOrgPerson
uid: olaf
cn: Olaf Other
givenName: Olaf
sn: Other
mail: olaf@example.com
userPassword: olaf-secret

dn: uid=alice,{PEOPLE}
objectClass: inetOrgPerson
uid: alice
cn: Alice Directory
givenName: Alice
sn: Directory
mail: alice.directory@example.com
userPassword: alice-ldap-secret

dn: uid=nomail,{PEOPLE}
objectClass: inetOrgPerson
uid: nomail
cn: No Mail
sn: Mail
userPassword: nomail-secret

dn: uid=takenmail,{PEOPLE}
objectClass: inetOrgPerson
uid: takenmail
cn: Taken Mail
sn: Mail
mail: bob@example.com
userPassword: takenmail-secret
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    """``with Slapd(folder) as slapd:`` serves until the block ends.

    ``slapd.ca_file`` is the PEM of the CA that signed its certificate;
    ``slapd.port`` takes plain LDAP and StartTLS, ``slapd.ldaps_port`` LDAPS.
    """

    def __init__(self, folder):
        self.folder = str(folder)
        self.port = self.ldaps_port = None
        self.proc = None
        self.ca_file = os.path.join(self.folder, "ca.pem")

    def __enter__(self) -> Slapd:
        if not os.path.exists(SLAPD):
            raise RuntimeError(f"{SLAPD} is missing: run scripts/install-test-deps (slapd)")
        import trustme

        os.makedirs(os.path.join(self.folder, "data"), exist_ok=True)
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(self.ca_file)
        cert.private_key_pem.write_to_path(os.path.join(self.folder, "server.key"))
        cert.cert_chain_pems[0].write_to_path(os.path.join(self.folder, "server.pem"))
        config = os.path.join(self.folder, "slapd.conf")
        with open(config, "w") as fh:
            fh.write(CONFIG.format(schema=SCHEMA, modules=MODULES, folder=self.folder, suffix=SUFFIX))
        data = os.path.join(self.folder, "data.ldif")
        with open(data, "w") as fh:
            fh.write(DATA)
        subprocess.run([SLAPADD, "-f", config, "-l", data], check=True, capture_output=True)
        for _attempt in range(5):  # another process may take a port in between
            self.port, self.ldaps_port = free_port(), free_port()
            urls = f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.ldaps_port}/"
            # -d keeps slapd in the foreground (a child we can stop); level 0
            # logs nothing but start-up errors.
            self.proc = subprocess.Popen(
                [SLAPD, "-f", config, "-h", urls, "-d", "0"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if self._wait_listening():
                return self
            self.stop()
        raise RuntimeError(f"slapd did not start: {self.proc.stderr.read().decode()}")

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                for port in (self.port, self.ldaps_port):
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
