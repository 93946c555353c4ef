"""Back-office import/export (dataexchange app): upload and row limits."""

from config.env import BASE_DIR, env_int, env_str

DATAEXCHANGE_MAX_UPLOAD_BYTES = env_int("DATAEXCHANGE_MAX_UPLOAD_BYTES", 20 * 2**20)
DATAEXCHANGE_MAX_ROWS = env_int("DATAEXCHANGE_MAX_ROWS", 100_000)
# Uploaded import files (business data): outside MEDIA_ROOT, on a volume web and workers share.
DATAEXCHANGE_FILES_ROOT = env_str("DATAEXCHANGE_FILES_ROOT", str(BASE_DIR / "var" / "private" / "dataexchange"))
