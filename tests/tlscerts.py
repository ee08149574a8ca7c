"""Test certificates made with `cryptography` (tests that import this skip without it): a CA,
a server certificate for a TLS name (and 127.0.0.1 as an IP address, which the official client
does not accept as a name), a client certificate, and a second CA that signed none of them."""

from __future__ import annotations

import datetime
import ipaddress

import pytest

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _issue(subject, issuer=None, *, ca=False, sans=()):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer[1].subject if issuer else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return key, builder.sign(issuer[0] if issuer else key, hashes.SHA256())


def _write(directory, stem, key, cert):
    cert_path, key_path = directory / (stem + ".pem"), directory / (stem + ".key")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def make_certs(directory, tls_name: str) -> dict:
    """Write the certificates into `directory` (a pathlib.Path); returns their paths: "ca",
    "other_ca" (files), "server", "client" ((cert, key) pairs) and "dir"."""
    ca = _issue("spikelite behaviour CA", ca=True)
    other_ca = _issue("some other CA", ca=True)
    server = _issue(tls_name, ca, sans=[x509.DNSName(tls_name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    client = _issue("client.test", ca, sans=[x509.DNSName("client.test")])
    return {"dir": directory, "ca": _write(directory, "ca", *ca)[0],
            "other_ca": _write(directory, "other-ca", *other_ca)[0],
            "server": _write(directory, "server", *server), "client": _write(directory, "client", *client)}


def tls_network_config(certs: dict, tls_name: str, authenticate_client: str) -> str:
    """The `network` context of a spikelite config serving TLS with `certs` (from make_certs) on
    a free port beside a plain one, `tls-authenticate-client` set to `authenticate_client`."""
    return f"""
network {{
    tls {tls_name} {{
        cert-file {certs["server"][0]}
        key-file {certs["server"][1]}
        ca-file {certs["ca"]}
    }}
    service {{
        address 127.0.0.1
        port 0
        tls-port 0
        tls-name {tls_name}
        tls-authenticate-client {authenticate_client}
    }}
}}
"""
