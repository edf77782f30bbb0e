"""The Python bitjws library's validate_deserialize, rewritten on the standard
library alone: the same base64url handling, the same 88-character check on the
signature text, the same expiry and audience rules, and Bitcoin message
verification by public-key recovery in plain Python integers. It exists so that
the plugin's replies can be checked by a verifier that shares no code, and no
language, with the codec that made them.

Reads JSON lines from stdin: {"jws": ..., "aud": ..., "checkExpiration": bool}.
Writes one JSON line per input: {"ok": true, "kid": ..., "payload": ...} or
{"ok": false, "error": ...}.
"""
import base64
import hashlib
import json
import sys
import time

P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)
ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'


class InvalidMessage(Exception):
    pass


def base64url_decode(text):
    remainder = len(text) % 4
    if remainder:
        text += '=' * (4 - remainder)
    return base64.urlsafe_b64decode(text)


def point_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        slope = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (slope * slope - a[0] - b[0]) % P
    return (x, (slope * (a[0] - x) - a[1]) % P)


def point_multiply(point, scalar):
    result = None
    while scalar:
        if scalar & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        scalar >>= 1
    return result


def recover_public_key(digest, signature):
    flag = signature[0]
    if flag < 27 or flag > 34:
        raise InvalidMessage('bad flag')
    recid = (flag - 27) & 3
    compressed = flag >= 31
    r = int.from_bytes(signature[1:33], 'big')
    s = int.from_bytes(signature[33:65], 'big')
    if not (0 < r < N and 0 < s < N):
        raise InvalidMessage('bad r or s')
    x = r + (recid >> 1) * N
    y = pow((x ** 3 + 7) % P, (P + 1) // 4, P)
    if (y * y - x ** 3 - 7) % P != 0:
        raise InvalidMessage('r is not on the curve')
    if y % 2 != recid % 2:
        y = P - y
    e = int.from_bytes(digest, 'big')
    r_inverse = pow(r, -1, N)
    key = point_add(point_multiply((x, y), s * r_inverse % N),
                    point_multiply(G, (-e * r_inverse) % N))
    if compressed:
        return bytes([2 + key[1] % 2]) + key[0].to_bytes(32, 'big')
    return b'\x04' + key[0].to_bytes(32, 'big') + key[1].to_bytes(32, 'big')


def varint(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b'\xfd' + n.to_bytes(2, 'little')
    return b'\xfe' + n.to_bytes(4, 'little')


def address_of(public_key, version):
    ripemd = hashlib.new('ripemd160', hashlib.sha256(public_key).digest()).digest()
    body = bytes([version]) + ripemd
    body += hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4]
    number = int.from_bytes(body, 'big')
    text = ''
    while number:
        number, digit = divmod(number, 58)
        text = ALPHABET[digit] + text
    return '1' * (len(body) - len(body.lstrip(b'\x00'))) + text


def verify_message(message, signature_text, address):
    magic = b'\x18Bitcoin Signed Message:\n'
    digest = hashlib.sha256(hashlib.sha256(
        magic + varint(len(message)) + message).digest()).digest()
    public_key = recover_public_key(digest, base64.b64decode(signature_text))
    version = 0x00 if address.startswith('1') else 0x6f
    return address_of(public_key, version) == address


def validate_deserialize(signed_message, requrl=None, check_expiration=True):
    try:
        header64, payload64, sig64 = signed_message.split('.')
    except ValueError:
        raise InvalidMessage('not a valid JWS')
    header = json.loads(base64url_decode(header64).decode('utf8'))
    if header.get('alg') != 'CUSTOM-BITCOIN-SIGN':
        raise InvalidMessage('wrong algorithm')
    signature = base64url_decode(sig64)
    if len(signature) != 88:
        raise InvalidMessage('signature text is not 88 characters')
    if not verify_message((header64 + '.' + payload64).encode('ascii'), signature, header['kid']):
        raise InvalidMessage('invalid signature')
    payload = json.loads(base64url_decode(payload64).decode('utf8'))
    if check_expiration and payload.get('exp', 0) < time.time():
        raise InvalidMessage('expired')
    if requrl and payload.get('aud') != requrl:
        raise InvalidMessage('wrong audience')
    return header, payload


for line in sys.stdin:
    request = json.loads(line)
    try:
        header, payload = validate_deserialize(
            request['jws'], request.get('aud'), request.get('checkExpiration', True))
        print(json.dumps({'ok': True, 'kid': header['kid'], 'payload': payload}))
    except Exception as error:  # the reason goes back to the test as text
        print(json.dumps({'ok': False, 'error': repr(error)}))
