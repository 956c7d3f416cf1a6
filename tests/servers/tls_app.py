"""A small ASGI app for the TLS and HTTP/2 tests, served by Hypercorn.

`python tls_app.py certs DIR` writes a test certificate authority (trustme) and, signed by
it, a server certificate for 127.0.0.1 and a client certificate, as PEM files in DIR.

Every request is answered with JSON saying how it arrived: the HTTP version, the scheme and
the path, so a feature can check that HTTP/2 was negotiated.
"""

import json
import sys


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = json.dumps(
        {
            "http_version": scope["http_version"],
            "scheme": scope["scheme"],
            "path": scope["path"],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def write_certs(folder):
    import pathlib

    import trustme

    out = pathlib.Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca.cert_pem.write_to_path(out / "ca.pem")
    server = ca.issue_cert("127.0.0.1", "localhost")
    server.cert_chain_pems[0].write_to_path(out / "server.pem")
    server.private_key_pem.write_to_path(out / "server.key")
    client = ca.issue_cert("client.example")
    client.cert_chain_pems[0].write_to_path(out / "client.pem")
    client.private_key_pem.write_to_path(out / "client.key")
    # Both in one file, as many tools hand them out.
    (out / "client-and-key.pem").write_bytes(
        client.cert_chain_pems[0].bytes() + client.private_key_pem.bytes()
    )
    # A second authority that signed nothing the server uses.
    trustme.CA().cert_pem.write_to_path(out / "other-ca.pem")


if __name__ == "__main__" and sys.argv[1:2] == ["certs"]:
    write_certs(sys.argv[2])
