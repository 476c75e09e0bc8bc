/*
 * scanner/vendor.h - MAC address vendor lookup from Debian's ieee-data.
 *
 * The IEEE registries (MA-L 24-bit, MA-M 28-bit, MA-S and IAB 36-bit) are
 * read at run time from /usr/share/ieee-data (the .csv files) (or $SEGSCAN_IEEE_DIR),
 * never copied into the program, so `apt-get upgrade` refreshes vendors.
 * The longest registered prefix wins.
 */
#ifndef SS_VENDOR_H
#define SS_VENDOR_H

#include "common/addr.h"

struct vendor_db;

#define VENDOR_DEFAULT_DIR "/usr/share/ieee-data"

/* Loads the registries from dir (NULL: $SEGSCAN_IEEE_DIR or the default).
 * Missing files are skipped; returns a (possibly empty) database, never
 * NULL. *loaded receives the number of entries read. */
struct vendor_db *vnd_load(const char *dir, size_t *loaded);
void vnd_free(struct vendor_db *db);
/* Organisation name, or NULL when unregistered. Valid as long as db. */
const char *vnd_lookup(const struct vendor_db *db, const ss_mac *mac);

#endif
