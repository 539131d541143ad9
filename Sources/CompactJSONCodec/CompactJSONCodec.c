#include "CompactJSONCodec.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "DictionaryV1.h"
#include "DictionaryV2.h"

/// Level 1: about 2 µs and ~200 bytes for a typical contact against version 2; level 5 packs
/// ~10 % smaller in twice the time, and the write path cares more.
enum { level = 1 };

static ZSTD_CDict *packingDictionary;
static ZSTD_DDict *unpackingDictionaries[2];
static pthread_once_t dictionariesOnce = PTHREAD_ONCE_INIT;

static void make_dictionaries(void) {
    packingDictionary = ZSTD_createCDict(dictionaryV2, sizeof dictionaryV2, level);
    unpackingDictionaries[0] = ZSTD_createDDict(dictionaryV1, sizeof dictionaryV1 - 1);
    unpackingDictionaries[1] = ZSTD_createDDict(dictionaryV2, sizeof dictionaryV2);
}

/// A thread's two contexts, freed with the thread (dispatch's worker threads come and go).
typedef struct {
    ZSTD_CCtx *packer;
    ZSTD_DCtx *unpacker;
} Contexts;

static pthread_key_t contextsKey;
static pthread_once_t contextsKeyOnce = PTHREAD_ONCE_INIT;

static void free_contexts(void *pointer) {
    Contexts *contexts = pointer;
    ZSTD_freeCCtx(contexts->packer);
    ZSTD_freeDCtx(contexts->unpacker);
    free(contexts);
}

static void make_contexts_key(void) { pthread_key_create(&contextsKey, free_contexts); }

static Contexts *thread_contexts(void) {
    pthread_once(&dictionariesOnce, make_dictionaries);
    pthread_once(&contextsKeyOnce, make_contexts_key);
    if (packingDictionary == NULL || unpackingDictionaries[0] == NULL || unpackingDictionaries[1] == NULL) {
        return NULL;
    }
    Contexts *contexts = pthread_getspecific(contextsKey);
    if (contexts != NULL) return contexts;
    contexts = calloc(1, sizeof(Contexts));
    if (contexts == NULL) return NULL;
    contexts->packer = ZSTD_createCCtx();
    contexts->unpacker = ZSTD_createDCtx();
    // Each frame carries a checksum of its JSON (4 bytes): a damaged value is refused, not misread.
    // It leaves the dictionary's id out (the value's first byte says which it is).
    if (contexts->packer == NULL || contexts->unpacker == NULL
        || ZSTD_isError(ZSTD_CCtx_refCDict(contexts->packer, packingDictionary))
        || ZSTD_isError(ZSTD_CCtx_setParameter(contexts->packer, ZSTD_c_checksumFlag, 1))
        || ZSTD_isError(ZSTD_CCtx_setParameter(contexts->packer, ZSTD_c_dictIDFlag, 0))
        || pthread_setspecific(contextsKey, contexts) != 0) {
        free_contexts(contexts);
        return NULL;
    }
    return contexts;
}

/// Every Zstandard frame starts with these 4 bytes; a stored frame leaves them out.
static const uint8_t magic[4] = {0x28, 0xB5, 0x2F, 0xFD};

size_t compact_json_pack(const uint8_t *source, size_t length, uint8_t *destination, size_t capacity) {
    Contexts *contexts = thread_contexts();
    if (contexts == NULL) return 0;
    size_t written = ZSTD_compress2(contexts->packer, destination, capacity, source, length);
    if (ZSTD_isError(written) || written <= sizeof magic || memcmp(destination, magic, sizeof magic) != 0) return 0;
    memmove(destination, destination + sizeof magic, written - sizeof magic);
    return written - sizeof magic;
}

/// Calls `body` with `frame` (`length` bytes, without its magic number) behind the magic number,
/// in a buffer on the stack when it fits; returns 0 when a buffer could not be had.
static size_t with_magic(const uint8_t *frame, size_t length, size_t (*body)(const uint8_t *, size_t, void *),
                         void *context) {
    uint8_t stack[1024];
    uint8_t *whole = length + sizeof magic <= sizeof stack ? stack : malloc(length + sizeof magic);
    if (whole == NULL) return 0;
    memcpy(whole, magic, sizeof magic);
    memcpy(whole + sizeof magic, frame, length);
    size_t result = body(whole, length + sizeof magic, context);
    if (whole != stack) free(whole);
    return result;
}

static size_t content_size(const uint8_t *frame, size_t length, void *context) {
    (void)context;
    unsigned long long size = ZSTD_getFrameContentSize(frame, length);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > SIZE_MAX) return 0;
    return (size_t)size;
}

size_t compact_json_unpacked_length(const uint8_t *source, size_t length) {
    // A frame's header is at most 18 bytes, its magic number included: no more is copied.
    enum { headerMaximum = 18 };
    return with_magic(source, length < headerMaximum ? length : headerMaximum, content_size, NULL);
}

typedef struct {
    int dictionary;
    uint8_t *destination;
    size_t expected;
} Unpacking;

static size_t decompress(const uint8_t *frame, size_t length, void *context) {
    Unpacking *unpacking = context;
    Contexts *contexts = thread_contexts();
    if (contexts == NULL || unpacking->dictionary < 1 || unpacking->dictionary > 2) return 0;
    size_t written = ZSTD_decompress_usingDDict(contexts->unpacker, unpacking->destination, unpacking->expected,
                                                frame, length, unpackingDictionaries[unpacking->dictionary - 1]);
    return !ZSTD_isError(written) && written == unpacking->expected;
}

int compact_json_unpack(int dictionary, const uint8_t *source, size_t length, uint8_t *destination,
                        size_t expected) {
    Unpacking unpacking = {dictionary, destination, expected};
    return with_magic(source, length, decompress, &unpacking) == 1;
}

int compact_json_unpack_framed(const uint8_t *source, size_t length, uint8_t *destination, size_t expected) {
    Unpacking unpacking = {1, destination, expected};
    return decompress(source, length, &unpacking) == 1;
}

size_t compact_json_framed_length(const uint8_t *source, size_t length) {
    return content_size(source, length, NULL);
}
