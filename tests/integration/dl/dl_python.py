# SPDX-License-Identifier: MIT
# dl_python.py: run by run_system.py as `python3 -c <this text>`. Imports
# C extension modules that python3 loads with dlopen (_json, _ssl with
# OpenSSL, _ctypes and libm through ctypes, _sqlite3 with libsqlite3,
# _decimal with libmpdec, _hashlib with libcrypto; zlib is built in on
# Debian) and uses each, printing results that do not depend on the
# loader (run_system.py proves which loader ran it from the process's maps
# at exit, through ../runner.py). Would catch dlopen failures, wrong symbol
# binding between an extension and its libraries, and TLS or IFUNC
# trouble in OpenSSL/libsqlite3 under the tested loader.
import json, _json, _ssl, ssl, ctypes, _ctypes, sqlite3, _sqlite3, zlib, decimal, _decimal
import _hashlib, hashlib

for mod in (_json, _ssl, _ctypes, _sqlite3, zlib, _decimal, _hashlib):
    where = getattr(mod, "__file__", None)
    print(mod.__name__, "extension" if where and where.endswith(".so")
          else "built in")

print(json.dumps({"b": [1, 2.5, None, True], "a": "\u00e9"}, sort_keys=True))
assert json.loads('{"x": [1e300, -0.0]}') == {"x": [1e300, -0.0]}

libm = ctypes.CDLL("libm.so.6")
libm.cos.restype = ctypes.c_double
libm.cos.argtypes = [ctypes.c_double]
print("cos(0.5) = %.15f" % libm.cos(0.5))
libc = ctypes.CDLL(None)
print("strlen via ctypes:", libc.strlen(b"myld loader"))
qsort_cb = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                            ctypes.POINTER(ctypes.c_int))
arr = (ctypes.c_int * 6)(5, 1, 4, 2, 6, 3)
libc.qsort(arr, 6, ctypes.sizeof(ctypes.c_int),
           qsort_cb(lambda a, b: a[0] - b[0]))
print("qsort with a Python callback:", list(arr))

db = sqlite3.connect(":memory:")
db.execute("create table t (k text, v integer)")
db.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2), ("a", 3)])
print("sqlite:", db.execute("select k, sum(v) from t group by k order by k")
      .fetchall())

data = b"myld " * 1000
packed = zlib.compress(data, 9)
print("zlib:", zlib.crc32(data), zlib.adler32(data), len(packed),
      zlib.decompress(packed) == data)

decimal.getcontext().prec = 40
print("decimal:", decimal.Decimal(2).sqrt(), decimal.Decimal(1) / 7)

print("sha256:", _hashlib.openssl_sha256(b"abc").hexdigest())
print("sha512:", hashlib.new("sha512", b"abc").hexdigest()[:32])
print("pbkdf2:", hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000).hex())
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
print("ssl:", ctx.verify_mode == ssl.CERT_REQUIRED, ctx.check_hostname,
      len(_ssl.RAND_bytes(16)))
