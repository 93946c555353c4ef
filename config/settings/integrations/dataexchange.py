"""Back-office import/export (dataexchange app): upload and row limits."""

from config.env import env_int

DATAEXCHANGE_MAX_UPLOAD_BYTES = env_int("DATAEXCHANGE_MAX_UPLOAD_BYTES", 20 * 2**20)
DATAEXCHANGE_MAX_ROWS = env_int("DATAEXCHANGE_MAX_ROWS", 100_000)
