#!/usr/bin/env python3
"""FTP and FTPS (explicit TLS) servers on loopback for the installer's tests, started by scripts/testenv/up.

    ftpd.py CONFIG_JSON

CONFIG_JSON (mode 0600, written by up; passwords never go on a command line):
    {"ftp":  {"port": N, "root": DIR},
     "ftps": {"port": N, "root": DIR, "certfile": PEM, "keyfile": PEM},
     "users": [{"name": ..., "password": ..., "perm": "elradfmwMT"}, ...]}

Each server gets its own authorizer: every user's home is that server's root. "elr" is a read-only account.
pyftpdlib logs commands with PASS masked.
"""
import json
import logging
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer


def authorizer(root, users):
    auth = DummyAuthorizer()
    for user in users:
        auth.add_user(user["name"], user["password"], root, perm=user["perm"])
    return auth


def main(path):
    with open(path) as f:
        config = json.load(f)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    class Plain(FTPHandler):
        pass

    Plain.authorizer = authorizer(config["ftp"]["root"], config["users"])
    Plain.banner = "CartBridge test FTP server"

    class Secure(TLS_FTPHandler):
        pass

    Secure.authorizer = authorizer(config["ftps"]["root"], config["users"])
    Secure.certfile = config["ftps"]["certfile"]
    Secure.keyfile = config["ftps"]["keyfile"]
    # explicit FTPS only: the login and every data transfer must be on TLS
    Secure.tls_control_required = True
    Secure.tls_data_required = True
    Secure.banner = "CartBridge test FTPS server"

    plain = FTPServer(("127.0.0.1", config["ftp"]["port"]), Plain)
    secure = FTPServer(("127.0.0.1", config["ftps"]["port"]), Secure)
    assert plain.ioloop is secure.ioloop  # one loop serves both
    plain.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
