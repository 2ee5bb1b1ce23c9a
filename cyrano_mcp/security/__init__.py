"""Security, enforced once for every engine: on the call path and in the HTTP app, never tool by tool.

principals.py      who is calling (bearer-token account, or the local user on stdio)
passwords.py       Argon2id hashing and the password policy
accounts.py        user accounts and their administration
tokens.py          JWT access/refresh tokens, rotation with reuse detection, the SDK TokenVerifier
authentication.py  login, refresh and logout flows with lockout
rbac.py            roles and the permission table
ratelimit.py       per-user / per-address quotas with escalating penalties (memory or Redis)
audit.py           the HMAC-chained audit log
crypto/            the keyring and sealed (encrypted) fields
interceptors.py    the call-path steps: audit, authenticate, rate limit, authorize; tools/list filter
http.py            the HTTP app's guards: headers, body limit, rate limits, /auth endpoints
auth_engine.py, audit_engine.py   the auth_* and audit_query tools
services.py        builds all of the above for one Runtime
"""
