/*
 * volume_state: the receiving side's view of the data volume: whether it is empty (nothing but
 * `lost+found` and this step's own partial directory), moving a verified copy into place, and
 * the record of what was received (read back by the serving side's metrics).
 */
#ifndef MONERO_BOOTSTRAP_VOLUME_STATE_H
#define MONERO_BOOTSTRAP_VOLUME_STATE_H

#include "fetch_one.h"

#include <stdbool.h>

#define PARTIAL_NAME ".monero-bootstrap-partial"
#define RECORD_NAME  ".monero-bootstrap.json"

/* 1 when empty, 0 when not (`first` names an entry found), -1 when unreadable. */
int volume_is_empty(const char *data_dir, char *first, size_t first_len);

/* Renames the verified copy in partial_dir to lmdb_dir (creating its parents). */
int volume_install(const char *partial_dir, const char *lmdb_dir, char *why, size_t why_len);

/* Writes data_dir/RECORD_NAME. */
int volume_record(const char *data_dir, const char *source, const struct fetch_result *r);

#endif
