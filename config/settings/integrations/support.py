"""Support chat: limits, presence and the inbox that hears about unanswered shoppers."""

from config.env import env_int, env_str

SUPPORT_INBOX_EMAIL = env_str("SUPPORT_INBOX_EMAIL", "support@hypex.test")
SUPPORT_PRESENCE_TTL_SECONDS = env_int("SUPPORT_PRESENCE_TTL_SECONDS", 90)
SUPPORT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
SUPPORT_ATTACHMENT_MAX_PIXELS = 40_000_000
# Per websocket connection: at most this many frames in the window, else an error; 3x that closes it.
SUPPORT_WS_RATE_FRAMES = env_int("SUPPORT_WS_RATE_FRAMES", 20)
SUPPORT_WS_RATE_WINDOW_SECONDS = env_int("SUPPORT_WS_RATE_WINDOW_SECONDS", 10)
SUPPORT_TICKET_MAX_AGE_SECONDS = 60

# Satisfaction and what support earns (ADR 0051).
# A closed conversation may be rated (and re-rated, replacing the rating) for this many days; the
# emailed rating link expires with it.
SUPPORT_RATING_DAYS = env_int("SUPPORT_RATING_DAYS", 14)
# An order the same customer places within this many days after a conversation started is credited
# to it (and to its assigned agent) in the support report; computed when the report is read.
SUPPORT_ATTRIBUTION_DAYS = env_int("SUPPORT_ATTRIBUTION_DAYS", 5)
