#ifndef FRESH_DATABASE_TEMPLATE_H
#define FRESH_DATABASE_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/// A new embedded-backend database file with every schema object in place (the store's and its
/// audit log's, as their migrations leave them), packed with Zstandard: `Template.inc`, which
/// `FreshDatabaseTemplateTests` checks against the migrations and writes again when they change.
/// A new file written from it skips SQLite parsing about fifty `CREATE` statements twice.

/// The unpacked file's size in bytes; 0 when there is no template.
size_t fresh_database_template_size(void);

/// Unpacks the file into `destination`, which holds `capacity` bytes (at least the size above).
/// Returns 1 when it did, 0 when it could not.
int fresh_database_template_unpack(uint8_t *destination, size_t capacity);

/// Replaces the `length` bytes `placeholder` in `bytes` with `replacement` (as long), when they
/// occur there exactly once. Returns 1 when it did, 0 when they occur never or more than once.
int fresh_database_template_replace(
    uint8_t *bytes, size_t size, const uint8_t *placeholder, const uint8_t *replacement, size_t length);

#endif
