#ifndef COMPACT_JSON_CODEC_H
#define COMPACT_JSON_CODEC_H

#include <stddef.h>
#include <stdint.h>

/// Zstandard (level 1) against a dictionary of contact JSON: a contact's ~1 KB of JSON shares
/// its keys and most of its values' shapes with every other contact, so against the dictionary
/// it packs to about a fifth (~200 bytes), in about 2 µs, and unpacks in about 1.5.
///
/// Two dictionaries, both part of the stored format for good (a new one is a new format):
/// version 1 (`DictionaryV1.h`), raw content, against which values were packed until version 2
/// (`DictionaryV2.h`): the same content behind Zstandard's entropy tables, computed from sample
/// contacts (`scripts/compact-json-dictionary`). Against raw content Zstandard built those tables
/// for every contact it packed, half the time it took; version 2 lends its own, and its frames
/// come out about 15 % smaller. Values packed with version 1 still unpack.
///
/// The dictionaries are digested once per process and shared; each thread keeps one compression
/// and one decompression context (freed with the thread), so a call allocates nothing.

/// Packs `length` bytes of `source` into `destination` (room for `capacity` bytes) against
/// dictionary version 2: a Zstandard frame that records the length and a checksum, without the
/// 4-byte magic number every frame starts with and without the dictionary's id (they say nothing
/// here). Returns the bytes written, or 0 when they do not fit or compression failed.
size_t compact_json_pack(const uint8_t *source, size_t length, uint8_t *destination, size_t capacity);

/// The length a frame from ``compact_json_pack`` unpacks to, or 0 when it is not such a frame.
size_t compact_json_unpacked_length(const uint8_t *source, size_t length);

/// Unpacks the frame `source`, packed as ``compact_json_pack`` does against dictionary version
/// `dictionary` (1 or 2), into `destination`, which must hold exactly `expected` bytes. Returns 1
/// when it unpacked to exactly `expected` bytes, 0 otherwise.
int compact_json_unpack(int dictionary, const uint8_t *source, size_t length, uint8_t *destination,
                        size_t expected);

/// ``compact_json_unpacked_length`` of a whole frame, magic number included (as the first
/// packed format stored them).
size_t compact_json_framed_length(const uint8_t *source, size_t length);

/// ``compact_json_unpack`` of a whole frame packed against version 1, magic number included.
int compact_json_unpack_framed(const uint8_t *source, size_t length, uint8_t *destination, size_t expected);

#endif
