#ifndef COMPACT_JSON_CODEC_H
#define COMPACT_JSON_CODEC_H

#include <stddef.h>
#include <stdint.h>

/// Zstandard (level 1) against a dictionary of contact JSON: a contact's ~1 KB of JSON shares
/// its keys and most of its values' shapes with every other contact, so against the dictionary
/// it packs to about a quarter (~240 bytes), in about 4 µs, and unpacks in about 2.
///
/// The dictionary is digested once per process and shared; each thread keeps one compression
/// and one decompression context (freed with the thread), so a call allocates nothing. The
/// dictionary is part of the stored format: it never changes (a new one is a new format).

/// Packs `length` bytes of `source` into `destination` (room for `capacity` bytes): a Zstandard
/// frame that records the length and a checksum, without the 4-byte magic number every frame
/// starts with (it says nothing here). Returns the bytes written, or 0 when they do not fit or
/// compression failed.
size_t compact_json_pack(const uint8_t *source, size_t length, uint8_t *destination, size_t capacity);

/// The length a frame from ``compact_json_pack`` unpacks to, or 0 when it is not such a frame.
size_t compact_json_unpacked_length(const uint8_t *source, size_t length);

/// Unpacks the frame `source` from ``compact_json_pack`` into `destination`, which must hold
/// exactly `expected` bytes. Returns 1 when it unpacked to exactly `expected` bytes, 0 otherwise.
int compact_json_unpack(const uint8_t *source, size_t length, uint8_t *destination, size_t expected);

/// ``compact_json_unpacked_length`` of a whole frame, magic number included (as the first
/// packed format stored them).
size_t compact_json_framed_length(const uint8_t *source, size_t length);

/// ``compact_json_unpack`` of a whole frame, magic number included.
int compact_json_unpack_framed(const uint8_t *source, size_t length, uint8_t *destination, size_t expected);

#endif
