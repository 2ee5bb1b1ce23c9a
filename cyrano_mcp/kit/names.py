"""The shapes of the names engines declare: an engine's, and an operation's or job kind's within it."""

import re

ENGINE_NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")
OPERATION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
