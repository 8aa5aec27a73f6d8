#!/usr/bin/env python3
"""
Known-answer vectors for the 智能机器人's JSON envelope, built without any of the project's code: Python's standard
library for the framing and SHA-1, and the openssl command line for AES-256-CBC (no padding by openssl: PKCS#7 to
32-byte blocks is done here, as WeCom does). Run: python3 scripts/make-aibot-vectors.py > test/fixtures/aibot-vectors.json
The test (test/wecom/aibot-vectors.test.ts) checks our codec against these: it must open each message, verify its
signature, and, given the same 16 random bytes, produce the same ciphertext and signature for each reply.
"""
import base64, hashlib, json, struct, subprocess

def encrypt(key43, plaintext, random16, receive_id=b''):
    key = base64.b64decode(key43 + '=')
    msg = plaintext.encode('utf-8')
    body = random16 + struct.pack('>I', len(msg)) + msg + receive_id
    pad = 32 - len(body) % 32
    body += bytes([pad]) * pad
    out = subprocess.run(['openssl', 'enc', '-aes-256-cbc', '-nopad', '-K', key.hex(), '-iv', key[:16].hex()],
                         input=body, capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()

def sign(token, timestamp, nonce, encrypt):
    return hashlib.sha1(''.join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()

TOKEN = 'QDG6eK'
KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'
cases = [
    ('group text with a mention', {'msgid': 'CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=', 'aibotid': 'AIBOTID', 'chatid': 'wrkSFfCgAAQ', 'chattype': 'group',
      'from': {'userid': 'zhangsan'}, 'response_url': 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1',
      'msgtype': 'text', 'text': {'content': '@学习助手 第四十七条'}}, '1732252800', '1372623149', bytes(range(16))),
    ('stream refresh', {'msgid': 'CAIQz7/MjQYY/NGagIOAgAMgl8jK0AI=', 'aibotid': 'AIBOTID', 'chatid': 'wrkSFfCgAAQ', 'chattype': 'group',
      'from': {'userid': 'lisi'}, 'msgtype': 'stream', 'stream': {'id': 'STREAMID'}}, '1732252805', '998877', bytes(range(16, 32))),
    ('enter_chat event', {'msgid': 'CAIQ0MHMjQYY', 'aibotid': 'AIBOTID', 'chattype': 'single', 'from': {'userid': 'wangwu'},
      'msgtype': 'event', 'event': {'eventtype': 'enter_chat'}}, '1732252810', '42', b'\x00' * 16),
]
replies = [
    ('finished stream frame', {'msgtype': 'stream', 'stream': {'id': 'STREAMID', 'finish': True, 'content': '《中华人民共和国高等教育法》第四十七条\n高等学校实行教师职务制度。'}},
     '1732252801', '123456789', bytes(range(32, 48))),
    ('welcome text', {'msgtype': 'text', 'text': {'content': '您好，欢迎使用学习助手！'}}, '1732252811', '7', b'\xff' * 16),
]
vectors = {'token': TOKEN, 'encodingAesKey': KEY, 'receiveId': '', 'built_by': 'python3 hashlib + openssl enc -aes-256-cbc -nopad (scripts/make-aibot-vectors.py)',
           'inbound': [], 'replies': []}
for name, msg, ts, nonce, rnd in cases:
    plaintext = json.dumps(msg, ensure_ascii=False, separators=(',', ':'))
    enc = encrypt(KEY, plaintext, rnd)
    vectors['inbound'].append({'name': name, 'query': {'msg_signature': sign(TOKEN, ts, nonce, enc), 'timestamp': ts, 'nonce': nonce},
                               'body': json.dumps({'encrypt': enc}), 'plaintext': plaintext})
for name, reply, ts, nonce, rnd in replies:
    plaintext = json.dumps(reply, ensure_ascii=False, separators=(',', ':'))
    enc = encrypt(KEY, plaintext, rnd)
    vectors['replies'].append({'name': name, 'plaintext': plaintext, 'random_hex': rnd.hex(), 'timestamp': ts, 'nonce': nonce,
                               'encrypt': enc, 'msgsignature': sign(TOKEN, ts, nonce, enc)})
print(json.dumps(vectors, ensure_ascii=False, indent=2))
