/* The --summary memo's first level, compiled: a block of lines looked up in the run templates.
 *
 * It does for every line what the pure-Python lane does (errcli/explain/memo.py, LineMemo.bulk and
 * the run templates of errcli/explain/template.py), without a Python object per line:
 *
 *   - the line's body starts at its first `{`; a line without one, or whose prefix holds a `[`
 *     that may open a JSON array (reader.ARRAY_OPEN), or that is longer than the caller allows,
 *     is a miss: the pump takes it one by one, as before;
 *   - the body's *form* is the body with every run of digits and hex letters cut to one `1`
 *     (template.runs_key of template.FOLD); the forms table gives the form's run template:
 *     (runs, kept, numbers, digits, canons, form, ...), ordinals packed as bytes;
 *   - the line fits the template when it has that many runs, the `numbers` runs are all digits
 *     and the `digits` runs hold a digit (RunTemplate.fits); its canon is its kept runs joined by
 *     `,`, and canons[canon] is (the index of its verdicts in the memo's groups, canon);
 *   - both tables are keyed by key_hash(form) and key_hash(canon) (64 bits, see key_hash), and the entry holds
 *     the key's bytes: a clash of hashes is a miss;
 *   - a line without `{` that the careful path would count as text (no status line, no `[` that
 *     may open an array, not blank) is neither: it is listed in `texts`.
 *
 *   - a line whose canon is unknown but which differs from a known one only in the kept run that
 *     the memo confirmed as an undocumented code's (see template.RunTemplate.learn_swap) is listed
 *     in `patched` with the group of that canon's verdicts and its own number.
 *
 * scan(block, forms, max_body, max_line, version)
 *     -> (misses: list[int], ids: bytes of int32, -1 where not known, texts: list[int],
 *         patched: list[(line, group, code)])
 * scan_chunk(data, starts, forms, max_body, max_line, version): the same, of the lines of a chunk
 * line_starts(data, end) -> int32 bytes: where the lines of data[:end] (LF-ended) start, and end + 1
 * tally(ids, stop, base, stats, flags) -> (lines added to stats, [(group, lines, first, last)]):
 *     over ids[:stop]; a group whose flag is set (its rows exist) is counted in `stats` (int64
 *     [lines, first, last] per group, line numbers after `base`), the others listed, in order of
 *     their first line (line ordinals in the block)
 * array_open(line, end) -> bool: reader.ARRAY_OPEN.search(line, 0, end) is not None
 * form(body) -> (form, [(start, end) of each run]): what a line's lookup computes (for the tests)
 * run_kinds(body, free, num, token) -> (runs, kept, numbers, digits): template.run_template's loop
 * parse(body) -> template._Parser's nodes of the JSON value, None when there is none, False for a
 *     key with an escape (which the Python parser decodes)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_RUNS 255
#define MAX_BODY 4096

static unsigned char folds_to[256]; /* template.FOLD: digits and hex letters to `1`, the other bytes kept */

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* The tables' hash: eight bytes a step (a multiply and a shift), the length mixed in. */
static uint64_t key_hash(const unsigned char *s, Py_ssize_t n) {
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h = (uint64_t)n * k, w;
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (i < n) {
        w = 0;
        memcpy(&w, s + i, (size_t)(n - i));
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    h *= k;
    return h ^ (h >> 32);
}

/* The entries found lately, by hash (direct-mapped): most lines are of forms and canons met a few
 * lines before. The tables only grow between calls; when the caller replaces an entry or starts a
 * table over, it passes a new `version`, and the cache is emptied. */
#define SLOTS 65536
typedef struct {
    uint64_t hash;
    PyObject *table, *entry; /* borrowed */
} Slot;

static Slot cache[SLOTS];
static Py_ssize_t cache_version = -1;

/* An entry of a table keyed by key_hash(key): a tuple whose item `at` holds the key's bytes
 * (compared, so that a clash of hashes is a miss, never a wrong answer). Borrowed; NULL when
 * absent (or on an error, with the exception set). */
static PyObject *find(PyObject *table, const unsigned char *key, Py_ssize_t n, Py_ssize_t at) {
    uint64_t h = key_hash(key, n);
    Slot *slot = &cache[h & (SLOTS - 1)];
    PyObject *entry;
    if (slot->entry != NULL && slot->hash == h && slot->table == table) {
        entry = slot->entry;
    } else {
        PyObject *hash = PyLong_FromUnsignedLongLong(h);
        if (hash == NULL) return NULL;
        entry = PyDict_GetItemWithError(table, hash);
        Py_DECREF(hash);
        if (entry == NULL) return NULL;
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) <= at || !PyBytes_Check(PyTuple_GET_ITEM(entry, at))) {
            PyErr_SetString(PyExc_TypeError, "a table's entry is a tuple holding its key's bytes");
            return NULL;
        }
        slot->hash = h;
        slot->table = table;
        slot->entry = entry;
    }
    PyObject *stored = PyTuple_GET_ITEM(entry, at);
    if (PyBytes_GET_SIZE(stored) != n || memcmp(PyBytes_AS_STRING(stored), key, (size_t)n) != 0) return NULL;
    return entry;
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* After a number or literal inside `[`: \s*+ then `,` `]` or the end. */
static int closes(const unsigned char *s, Py_ssize_t j, Py_ssize_t end) {
    while (j < end && is_space(s[j])) j++;
    return j == end || s[j] == ',' || s[j] == ']';
}

/* Where the JSON number that starts at s[i] ends (`-?\d+(\.\d+)?([eE][-+]?\d+)?`, each part taken
 * when whole, as ARRAY_OPEN and template._TOKEN read one), or -1 when none starts there. */
static Py_ssize_t number_end(const unsigned char *s, Py_ssize_t i, Py_ssize_t end) {
    Py_ssize_t j = i + (i < end && s[i] == '-');
    if (j >= end || !is_digit(s[j])) return -1;
    while (j < end && is_digit(s[j])) j++;
    if (j + 1 < end && s[j] == '.' && is_digit(s[j + 1])) {
        j++;
        while (j < end && is_digit(s[j])) j++;
    }
    if (j < end && (s[j] == 'e' || s[j] == 'E')) {
        Py_ssize_t k = j + 1;
        if (k < end && (s[k] == '-' || s[k] == '+')) k++;
        if (k < end && is_digit(s[k])) {
            while (k < end && is_digit(s[k])) k++;
            j = k;
        }
    }
    return j;
}

/* The length of the literal (true, false, null) at s[i], or 0. */
static Py_ssize_t literal_length(const unsigned char *s, Py_ssize_t i, Py_ssize_t end) {
    static const char *literals[] = {"true", "false", "null"};
    for (int w = 0; w < 3; w++) {
        Py_ssize_t n = (Py_ssize_t)strlen(literals[w]);
        if (end - i >= n && memcmp(s + i, literals[w], (size_t)n) == 0) return n;
    }
    return 0;
}

/* One `[` at i (i < end): does ARRAY_OPEN match there? */
static int opens_at(const unsigned char *s, Py_ssize_t i, Py_ssize_t end) {
    Py_ssize_t j = i + 1;
    if (j >= end) return 1; /* `$` */
    unsigned char c = s[j];
    if (is_space(c) || c == '"' || c == '[' || c == '{' || c == ']') return 1;
    if (c == '-' || is_digit(c)) {
        Py_ssize_t after = number_end(s, j, end);
        return after >= 0 && closes(s, after, end);
    }
    Py_ssize_t literal = literal_length(s, j, end);
    return literal > 0 && closes(s, j + literal, end);
}

static int array_open_in(const unsigned char *s, Py_ssize_t end) {
    const unsigned char *p = s;
    while ((p = memchr(p, '[', (size_t)(end - (p - s)))) != NULL) {
        if (opens_at(s, p - s, end)) return 1;
        p++;
    }
    return 0;
}

/* A line the careful path would count as text: no `{`, no status line, no `[` that may open an
 * array, and not blank (reader._ScanState sees the others). */
static int is_text(const unsigned char *s, Py_ssize_t size) {
    if (size >= 5 && (memcmp(s, "HTTP/", 5) == 0 || memcmp(s, "< HTT", 5) == 0)) return 0;
    if (array_open_in(s, size)) return 0;
    for (Py_ssize_t i = 0; i < size; i++)
        if (!is_space(s[i])) return 1;
    return 0;
}

/* The kept runs idx[0..nkept) of body but the one at `skip` (-1: none), joined by `,`, into
 * out[0..room): their length, or -1 when a run is not there or they do not fit. */
static Py_ssize_t join_runs(const unsigned char *body, const unsigned char *idx, Py_ssize_t nkept, Py_ssize_t skip,
                            const int32_t *starts, const int32_t *ends, int runs, unsigned char *out,
                            Py_ssize_t room) {
    Py_ssize_t c = 0;
    int written = 0;
    for (Py_ssize_t k = 0; k < nkept; k++) {
        if (k == skip) continue;
        if (idx[k] >= runs || c + 1 + (ends[idx[k]] - starts[idx[k]]) > room) return -1;
        if (written++) out[c++] = ',';
        for (Py_ssize_t i = starts[idx[k]]; i < ends[idx[k]]; i++) out[c++] = body[i];
    }
    return c;
}

/* A line whose canon is unknown: when its form has a confirmed place for an undocumented code
 * (entry[7]) and the line's other kept runs are a confirmed canon's (entry[8]), and its run there
 * is a plain decimal number, the group of that canon's verdicts and the number (*code). -1 else. */
static long patch(const unsigned char *body, PyObject *entry, const int32_t *starts, const int32_t *ends, int runs,
                  long long *code) {
    PyObject *places = PyTuple_GET_ITEM(entry, 7), *swaps = PyTuple_GET_ITEM(entry, 8);
    PyObject *kept = PyTuple_GET_ITEM(entry, 1);
    if (!PyByteArray_Check(places) || !PyDict_Check(swaps)) return -1;
    const unsigned char *idx = (const unsigned char *)PyBytes_AS_STRING(kept);
    Py_ssize_t nkept = PyBytes_GET_SIZE(kept);
    for (Py_ssize_t p = 0; p < PyByteArray_GET_SIZE(places); p++) {
        Py_ssize_t at = (unsigned char)PyByteArray_AS_STRING(places)[p];
        if (at >= nkept || idx[at] >= runs) continue;
        Py_ssize_t a = starts[idx[at]], b = ends[idx[at]];
        if (b - a > 15 || body[a] == '0') continue;
        long long number = 0;
        Py_ssize_t i = a;
        for (; i < b && is_digit(body[i]); i++) number = number * 10 + (body[i] - '0');
        if (i < b) continue;
        unsigned char rest[MAX_BODY + MAX_RUNS + 1];
        rest[0] = (unsigned char)at;
        Py_ssize_t c = join_runs(body, idx, nkept, at, starts, ends, runs, rest + 1, (Py_ssize_t)sizeof(rest) - 1);
        if (c < 0) return -1;
        PyObject *known = find(swaps, rest, c + 1, 1);
        if (known == NULL) {
            if (PyErr_Occurred()) return -2;
            continue;
        }
        long g = PyLong_AsLong(PyTuple_GET_ITEM(known, 0));
        if (g < 0) return PyErr_Occurred() ? -2 : -1;
        *code = number;
        return g;
    }
    return -1;
}

/* The form of body[:n] (template.runs_key of its template.FOLD) into `form` (n bytes), and its
 * runs of folded bytes: starts[k], ends[k] (n + 1 each). Returns the form's length. */
static Py_ssize_t make_form(const unsigned char *body, Py_ssize_t n, unsigned char *form, int32_t *starts,
                            int32_t *ends, int *runs_out) {
    Py_ssize_t f = 0;
    int changes = 0, prev = 0;
    /* one pass, without a branch on the bytes: each byte is written folded (a digit or hex letter as
     * `1`, which no other byte folds to) and kept unless it goes on a run; where the bytes change
     * from unfolded to folded or back, the place is kept (a run's start, then its end, and so on) */
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = folds_to[body[i]];
        int fl = c == '1';
        form[f] = c;
        f += !(fl & prev);
        starts[changes] = (int32_t)i;
        changes += fl ^ prev;
        prev = fl;
    }
    if (prev) starts[changes++] = (int32_t)n;
    int runs = changes / 2;
    for (int k = 0; k < runs; k++) { /* (in place: starts[2k] is read before starts[k] is written) */
        ends[k] = starts[2 * k + 1];
        starts[k] = starts[2 * k];
    }
    *runs_out = runs;
    return f;
}

/* The group index of one line, -1 when the tables do not know it (-3: a line of text; -4 - group:
 * a line of an undocumented code, its number in *code; on an error: -2). */
static long look_up(const unsigned char *s, Py_ssize_t size, PyObject *forms, Py_ssize_t max_body,
                    Py_ssize_t max_line, long long *code) {
    if (size > max_line) return -1;
    const unsigned char *brace = memchr(s, '{', (size_t)size);
    if (brace == NULL) return is_text(s, size) ? -3 : -1;
    Py_ssize_t p = brace - s;
    if (p > 0 && array_open_in(s, p)) return -1;
    const unsigned char *body = brace;
    Py_ssize_t n = size - p;
    if (n > max_body || n > MAX_BODY) return -1;
    int runs_found;

    unsigned char form[MAX_BODY];
    int32_t starts[MAX_BODY + 1], ends[MAX_BODY + 1];
    Py_ssize_t f = make_form(body, n, form, starts, ends, &runs_found);
    int runs = runs_found;
    if (runs > MAX_RUNS) return -1;
    PyObject *entry = find(forms, form, f, 5);
    if (entry == NULL) return PyErr_Occurred() ? -2 : -1;
    long count = PyLong_AsLong(PyTuple_GET_ITEM(entry, 0));
    PyObject *kept = PyTuple_GET_ITEM(entry, 1), *numbers = PyTuple_GET_ITEM(entry, 2);
    PyObject *digits = PyTuple_GET_ITEM(entry, 3), *canons = PyTuple_GET_ITEM(entry, 4);
    if (count == -1 && PyErr_Occurred()) return -2;
    if (!PyBytes_Check(kept) || !PyBytes_Check(numbers) || !PyBytes_Check(digits) || !PyDict_Check(canons)) {
        PyErr_SetString(PyExc_TypeError, "a form's entry is (int, bytes, bytes, bytes, dict)");
        return -2;
    }
    if (count != runs) return -1;
    const unsigned char *idx = (const unsigned char *)PyBytes_AS_STRING(numbers);
    for (Py_ssize_t k = 0; k < PyBytes_GET_SIZE(numbers); k++) {
        if (idx[k] >= runs) return -1;
        for (Py_ssize_t i = starts[idx[k]]; i < ends[idx[k]]; i++)
            if (!is_digit(body[i])) return -1;
    }
    idx = (const unsigned char *)PyBytes_AS_STRING(digits);
    for (Py_ssize_t k = 0; k < PyBytes_GET_SIZE(digits); k++) {
        if (idx[k] >= runs) return -1;
        int any = 0;
        for (Py_ssize_t i = starts[idx[k]]; i < ends[idx[k]] && !any; i++) any = is_digit(body[i]);
        if (!any) return -1;
    }
    unsigned char canon[MAX_BODY + MAX_RUNS];
    idx = (const unsigned char *)PyBytes_AS_STRING(kept);
    Py_ssize_t c = join_runs(body, idx, PyBytes_GET_SIZE(kept), -1, starts, ends, runs, canon, (Py_ssize_t)sizeof(canon));
    if (c < 0) return -1;
    PyObject *known = find(canons, canon, c, 1);
    if (known == NULL) {
        if (PyErr_Occurred()) return -2;
        if (PyTuple_GET_SIZE(entry) < 9) return -1;
        long g = patch(body, entry, starts, ends, runs, code);
        return g >= 0 ? -4 - g : g; /* -4 - group: a line of an undocumented code */
    }
    long g = PyLong_AsLong(PyTuple_GET_ITEM(known, 0));
    if (g < 0) return PyErr_Occurred() ? -2 : -1;
    return g;
}

/* The lookup of n lines: line(k, &size) gives line k (NULL: not bytes, a miss). */
typedef const unsigned char *(*LineOf)(void *lines, Py_ssize_t k, Py_ssize_t *size);

static PyObject *scan_lines(void *lines, LineOf line_of, Py_ssize_t n, PyObject *forms, Py_ssize_t max_body,
                            Py_ssize_t max_line, Py_ssize_t version) {
    PyObject *ids = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int32_t));
    PyObject *misses = PyList_New(0), *texts = PyList_New(0), *patched = PyList_New(0);
    if (ids == NULL || misses == NULL || texts == NULL || patched == NULL) goto fail;
    if (version != cache_version) {
        memset(cache, 0, sizeof(cache));
        cache_version = version;
    }
    int32_t *out = (int32_t *)PyBytes_AS_STRING(ids);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t size = 0;
        const unsigned char *line = line_of(lines, i, &size);
        long g = -1;
        long long code = 0;
        if (line != NULL) g = look_up(line, size, forms, max_body, max_line, &code);
        if (g == -2) goto fail;
        if (g > INT32_MAX) g = -1;
        out[i] = g < 0 ? -1 : (int32_t)g;
        if (g <= -4) {
            PyObject *item = Py_BuildValue("(nlL)", i, -4 - g, code);
            if (item == NULL || PyList_Append(patched, item) < 0) {
                Py_XDECREF(item);
                goto fail;
            }
            Py_DECREF(item);
        } else if (g < 0) {
            PyObject *at = PyLong_FromSsize_t(i);
            if (at == NULL || PyList_Append(g == -3 ? texts : misses, at) < 0) {
                Py_XDECREF(at);
                goto fail;
            }
            Py_DECREF(at);
        }
    }
    return Py_BuildValue("(NNNN)", misses, ids, texts, patched);
fail:
    Py_XDECREF(ids);
    Py_XDECREF(misses);
    Py_XDECREF(texts);
    Py_XDECREF(patched);
    return NULL;
}

static const unsigned char *list_line(void *lines, Py_ssize_t k, Py_ssize_t *size) {
    PyObject *line = PyList_GET_ITEM((PyObject *)lines, k);
    if (!PyBytes_CheckExact(line)) return NULL;
    *size = PyBytes_GET_SIZE(line);
    return (const unsigned char *)PyBytes_AS_STRING(line);
}

typedef struct {
    const unsigned char *data;
    const int32_t *starts; /* where each line starts; starts[n]: one past the last line's LF */
} Chunk;

static const unsigned char *chunk_line(void *lines, Py_ssize_t k, Py_ssize_t *size) {
    Chunk *chunk = lines;
    *size = chunk->starts[k + 1] - 1 - chunk->starts[k];
    return chunk->data + chunk->starts[k];
}

static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *block, *forms;
    Py_ssize_t max_body, max_line, version;
    if (!PyArg_ParseTuple(args, "O!O!nnn", &PyList_Type, &block, &PyDict_Type, &forms, &max_body, &max_line,
                          &version))
        return NULL;
    return scan_lines(block, list_line, PyList_GET_SIZE(block), forms, max_body, max_line, version);
}

/* scan() of the lines of a chunk, as line_starts() cut it. */
static PyObject *scan_chunk(PyObject *self, PyObject *args) {
    Py_buffer data, starts;
    PyObject *forms, *result = NULL;
    Py_ssize_t max_body, max_line, version;
    if (!PyArg_ParseTuple(args, "y*y*O!nnn", &data, &starts, &PyDict_Type, &forms, &max_body, &max_line, &version))
        return NULL;
    Py_ssize_t n = starts.len / (Py_ssize_t)sizeof(int32_t) - 1;
    const int32_t *at = starts.buf;
    int ok = n >= 0 && (n == 0 || at[0] >= 0);
    for (Py_ssize_t k = 0; ok && k < n; k++) ok = at[k] < at[k + 1] && at[k + 1] <= data.len;
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "line starts out of order or past the chunk");
    } else {
        Chunk chunk = {(const unsigned char *)data.buf, at};
        result = scan_lines(&chunk, chunk_line, n, forms, max_body, max_line, version);
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&starts);
    return result;
}

/* Where each line of data[:end] starts (int32), then end + 1: data[end] is an LF, the last line's. */
static PyObject *line_starts(PyObject *self, PyObject *args) {
    Py_buffer data;
    Py_ssize_t end;
    if (!PyArg_ParseTuple(args, "y*n", &data, &end)) return NULL;
    PyObject *result = NULL;
    if (end < 0 || end >= data.len || end > INT32_MAX - 1) {
        PyErr_SetString(PyExc_ValueError, "end is no place in the chunk");
        goto done;
    }
    const unsigned char *s = data.buf;
    Py_ssize_t lines = 1;
    for (const unsigned char *p = s; (p = memchr(p, '\n', (size_t)(end - (p - s)))) != NULL; p++) lines++;
    result = PyBytes_FromStringAndSize(NULL, (lines + 1) * (Py_ssize_t)sizeof(int32_t));
    if (result == NULL) goto done;
    int32_t *out = (int32_t *)PyBytes_AS_STRING(result);
    Py_ssize_t k = 0;
    out[k++] = 0;
    for (const unsigned char *p = s; (p = memchr(p, '\n', (size_t)(end - (p - s)))) != NULL; p++)
        out[k++] = (int32_t)(p - s + 1);
    out[k] = (int32_t)(end + 1);
done:
    PyBuffer_Release(&data);
    return result;
}

static PyObject *tally(PyObject *self, PyObject *args) {
    Py_buffer ids, stats_buf, flags_buf;
    Py_ssize_t stop, base, added = 0;
    if (!PyArg_ParseTuple(args, "y*nnw*y*", &ids, &stop, &base, &stats_buf, &flags_buf)) return NULL;
    int64_t *stats = (int64_t *)stats_buf.buf;
    const unsigned char *flags = (const unsigned char *)flags_buf.buf;
    Py_ssize_t counted = stats_buf.len / (Py_ssize_t)(3 * sizeof(int64_t));
    if (flags_buf.len < counted) counted = flags_buf.len;
    Py_ssize_t size = ids.len / (Py_ssize_t)sizeof(int32_t);
    if (stop > size) stop = size;
    if (stop < 0) stop = 0;
    const int32_t *in = (const int32_t *)ids.buf;
    PyObject *rows = NULL, *where = PyDict_New(); /* group -> its row's ordinal */
    Py_ssize_t *counts = PyMem_Calloc((size_t)stop + 1, 3 * sizeof(Py_ssize_t));
    int32_t *groups = PyMem_Calloc((size_t)stop + 1, sizeof(int32_t));
    Py_ssize_t made = 0;
    if (where == NULL || counts == NULL || groups == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < stop; i++) {
        if (in[i] < 0) continue;
        if (in[i] < counted && flags[in[i]]) { /* a group whose rows exist: counted in stats */
            int64_t *st = stats + 3 * (Py_ssize_t)in[i];
            if (st[0] == 0) st[1] = base + i + 1;
            st[0] += 1;
            st[2] = base + i + 1;
            added++;
            continue;
        }
        PyObject *g = PyLong_FromLong(in[i]);
        if (g == NULL) goto done;
        PyObject *at = PyDict_GetItemWithError(where, g);
        Py_ssize_t r;
        if (at == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(g);
                goto done;
            }
            r = made++;
            PyObject *ordinal = PyLong_FromSsize_t(r);
            if (ordinal == NULL || PyDict_SetItem(where, g, ordinal) < 0) {
                Py_XDECREF(ordinal);
                Py_DECREF(g);
                goto done;
            }
            Py_DECREF(ordinal);
            groups[r] = in[i];
            counts[3 * r + 1] = i;
        } else {
            r = PyLong_AsSsize_t(at);
        }
        Py_DECREF(g);
        counts[3 * r] += 1;
        counts[3 * r + 2] = i;
    }
    rows = PyList_New(made);
    if (rows == NULL) goto done;
    for (Py_ssize_t r = 0; r < made; r++) {
        PyObject *row = Py_BuildValue("(lnnn)", (long)groups[r], counts[3 * r], counts[3 * r + 1], counts[3 * r + 2]);
        if (row == NULL) {
            Py_CLEAR(rows);
            goto done;
        }
        PyList_SET_ITEM(rows, r, row);
    }
done:
    Py_XDECREF(where);
    PyMem_Free(counts);
    PyMem_Free(groups);
    PyBuffer_Release(&ids);
    PyBuffer_Release(&stats_buf);
    PyBuffer_Release(&flags_buf);
    return rows == NULL ? NULL : Py_BuildValue("(nN)", added, rows);
}

static PyObject *array_open(PyObject *self, PyObject *args) {
    Py_buffer line;
    Py_ssize_t end;
    if (!PyArg_ParseTuple(args, "y*n", &line, &end)) return NULL;
    if (end > line.len) end = line.len;
    int found = end > 0 && array_open_in((const unsigned char *)line.buf, end);
    PyBuffer_Release(&line);
    return PyBool_FromLong(found);
}

static PyObject *form_of(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    if (data.len > MAX_BODY) {
        PyBuffer_Release(&data);
        PyErr_SetString(PyExc_ValueError, "longer than the compiled lookup reads");
        return NULL;
    }
    unsigned char form[MAX_BODY];
    int32_t starts[MAX_BODY + 1], ends[MAX_BODY + 1];
    int runs;
    Py_ssize_t f = make_form((const unsigned char *)data.buf, data.len, form, starts, ends, &runs);
    PyBuffer_Release(&data);
    PyObject *spans = PyList_New(runs);
    if (spans == NULL) return NULL;
    for (int k = 0; k < runs; k++) {
        PyObject *span = Py_BuildValue("(ii)", starts[k], ends[k]);
        if (span == NULL) {
            Py_DECREF(spans);
            return NULL;
        }
        PyList_SET_ITEM(spans, k, span);
    }
    return Py_BuildValue("(y#N)", (const char *)form, f, spans);
}

/* template.run_template's reading of its masks: each run of folded bytes is kept (an escape's
 * letters, or a byte the verdict may depend on: free is 0 there), a number's (num set throughout),
 * kept (part of a number), or an interpolated value's that must hold a digit (token set somewhere,
 * and a digit in it). */
static PyObject *run_kinds(PyObject *self, PyObject *args) {
    Py_buffer data, free_buf, num_buf, token_buf;
    if (!PyArg_ParseTuple(args, "y*y*y*y*", &data, &free_buf, &num_buf, &token_buf)) return NULL;
    PyObject *result = NULL, *kept = NULL, *numbers = NULL, *digits = NULL;
    Py_ssize_t n = data.len;
    if (n > MAX_BODY || free_buf.len != n || num_buf.len != n || token_buf.len != n) {
        PyErr_SetString(PyExc_ValueError, "a body of at most 4096 bytes and three masks as long");
        goto done;
    }
    const unsigned char *body = data.buf, *free = free_buf.buf, *num = num_buf.buf, *token = token_buf.buf;
    unsigned char form[MAX_BODY];
    int32_t starts[MAX_BODY + 1], ends[MAX_BODY + 1];
    int runs;
    make_form(body, n, form, starts, ends, &runs);
    kept = PyList_New(0), numbers = PyList_New(0), digits = PyList_New(0);
    if (kept == NULL || numbers == NULL || digits == NULL) goto done;
    for (int k = 0; k < runs; k++) {
        Py_ssize_t a = starts[k], b = ends[k];
        int escape = a > 0 && (body[a - 1] == '\\' || (body[a - 1] == 'u' && a > 1 && body[a - 2] == '\\'));
        int any_fixed = 0, all_num = 1, any_num = 0, any_token = 0, any_digit = 0;
        for (Py_ssize_t i = a; i < b; i++) {
            any_fixed |= free[i] == 0;
            all_num &= num[i] != 0;
            any_num |= num[i] != 0;
            any_token |= token[i] != 0;
            any_digit |= is_digit(body[i]);
        }
        PyObject *into = NULL;
        if (escape || any_fixed)
            into = kept;
        else if (all_num)
            into = numbers;
        else if (any_num)
            into = kept;
        else if (any_token && any_digit)
            into = digits;
        if (into != NULL) {
            PyObject *at = PyLong_FromLong(k);
            if (at == NULL || PyList_Append(into, at) < 0) {
                Py_XDECREF(at);
                goto done;
            }
            Py_DECREF(at);
        }
    }
    result = Py_BuildValue("(iOOO)", runs, kept, numbers, digits);
done:
    Py_XDECREF(kept);
    Py_XDECREF(numbers);
    Py_XDECREF(digits);
    PyBuffer_Release(&data);
    PyBuffer_Release(&free_buf);
    PyBuffer_Release(&num_buf);
    PyBuffer_Release(&token_buf);
    return result;
}

/* template._Parser, compiled: a JSON value's nodes with their places. ("o", [(key, start, end,
 * node)]), ("a", [node]), ("s" | "n" | "l", start, end); strings' places are inside their quotes. */
static PyObject *kind_o, *kind_a, *kind_s, *kind_n, *kind_l;

typedef struct {
    const unsigned char *s;
    Py_ssize_t n, pos;
    int python; /* a key with an escape: template._Parser decodes it */
} Parser;

enum { T_BAD, T_STRING, T_NUMBER, T_LITERAL, T_PUNCT };

/* The next token (template._TOKEN): its kind and place (a string's inside its quotes). */
static int next_token(Parser *p, Py_ssize_t *start, Py_ssize_t *end) {
    const unsigned char *s = p->s;
    Py_ssize_t n = p->n, i = p->pos;
    while (i < n && is_space(s[i])) i++;
    if (i >= n) return T_BAD;
    unsigned char c = s[i];
    if (c == '"') {
        Py_ssize_t j = i + 1;
        while (j < n && s[j] != '"') {
            if (s[j] == '\\') {
                if (j + 1 >= n) return T_BAD;
                j += 2;
            } else {
                j++;
            }
        }
        if (j >= n) return T_BAD;
        *start = i + 1, *end = j, p->pos = j + 1;
        return T_STRING;
    }
    if (c == '-' || is_digit(c)) {
        Py_ssize_t j = number_end(s, i, n);
        if (j < 0) return T_BAD;
        *start = i, *end = j, p->pos = j;
        return T_NUMBER;
    }
    Py_ssize_t literal = literal_length(s, i, n);
    if (literal > 0) {
        *start = i, *end = i + literal, p->pos = i + literal;
        return T_LITERAL;
    }
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',') {
        *start = i, *end = i + 1, p->pos = i + 1;
        return T_PUNCT;
    }
    return T_BAD;
}

/* A value whose first token is (kind, start, end); NULL without an exception: no JSON value. */
static PyObject *parse_value(Parser *p, int depth, int kind, Py_ssize_t start, Py_ssize_t end) {
    if (depth > 256 || kind == T_BAD) return NULL;
    if (kind != T_PUNCT) {
        PyObject *tag = kind == T_STRING ? kind_s : kind == T_NUMBER ? kind_n : kind_l;
        return Py_BuildValue("(Onn)", tag, start, end);
    }
    unsigned char open = p->s[start];
    if (open != '{' && open != '[') return NULL;
    unsigned char close = open == '{' ? '}' : ']';
    PyObject *members = PyList_New(0);
    if (members == NULL) return NULL;
    kind = next_token(p, &start, &end);
    if (!(kind == T_PUNCT && p->s[start] == close)) {
        for (;;) {
            PyObject *item;
            if (open == '{') {
                if (kind != T_STRING) goto fail;
                Py_ssize_t key_start = start, key_end = end;
                if (memchr(p->s + key_start, '\\', (size_t)(key_end - key_start)) != NULL) {
                    p->python = 1;
                    goto fail;
                }
                if (next_token(p, &start, &end) != T_PUNCT || p->s[start] != ':') goto fail;
                kind = next_token(p, &start, &end);
                PyObject *node = parse_value(p, depth + 1, kind, start, end);
                if (node == NULL) goto fail;
                PyObject *name = PyUnicode_DecodeUTF8((const char *)p->s + key_start, key_end - key_start, NULL);
                if (name == NULL) {
                    Py_DECREF(node);
                    if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) goto fail;
                    PyErr_Clear(); /* (the Python parser's UnicodeDecodeError: no template) */
                    goto fail;
                }
                item = Py_BuildValue("(NnnN)", name, key_start, key_end, node);
            } else {
                item = parse_value(p, depth + 1, kind, start, end);
            }
            if (item == NULL || PyList_Append(members, item) < 0) {
                Py_XDECREF(item);
                goto fail;
            }
            Py_DECREF(item);
            kind = next_token(p, &start, &end);
            if (kind == T_PUNCT && p->s[start] == close) break;
            if (kind != T_PUNCT || p->s[start] != ',') goto fail;
            kind = next_token(p, &start, &end);
        }
    }
    return Py_BuildValue("(ON)", open == '{' ? kind_o : kind_a, members);
fail:
    Py_DECREF(members);
    return NULL;
}

static PyObject *parse(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    Parser p = {(const unsigned char *)data.buf, data.len, 0, 0};
    Py_ssize_t start = 0, end = 0;
    int kind = next_token(&p, &start, &end);
    PyObject *root = parse_value(&p, 0, kind, start, end);
    if (root != NULL) {
        while (p.pos < p.n && is_space(p.s[p.pos])) p.pos++;
        if (p.pos != p.n) Py_CLEAR(root);
    }
    PyBuffer_Release(&data);
    if (root != NULL || PyErr_Occurred()) return root;
    if (p.python) Py_RETURN_FALSE;
    Py_RETURN_NONE;
}

static PyObject *key_hash_of(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    uint64_t h = key_hash((const unsigned char *)data.buf, data.len);
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLongLong(h);
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "scan(block, forms, max_body, max_line, version) -> (misses, ids, texts, patched)"},
    {"scan_chunk", scan_chunk, METH_VARARGS, "scan_chunk(data, starts, forms, max_body, max_line, version) -> as scan"},
    {"line_starts", line_starts, METH_VARARGS, "line_starts(data, end) -> bytes of int32: where each line starts"},
    {"tally", tally, METH_VARARGS, "tally(ids, stop, base, stats, flags) -> (added, [(group, lines, first, last)])"},
    {"array_open", array_open, METH_VARARGS, "array_open(line, end) -> bool"},
    {"key_hash", key_hash_of, METH_VARARGS, "key_hash(data) -> int: the tables' key of a form or canon"},
    {"form", form_of, METH_VARARGS, "form(body) -> (form, [(start, end) of each run])"},
    {"run_kinds", run_kinds, METH_VARARGS, "run_kinds(body, free, num, token) -> (runs, kept, numbers, digits)"},
    {"parse", parse, METH_VARARGS, "parse(body) -> the nodes of its JSON value, None, or False (the Python parser)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", NULL, -1, methods};

PyMODINIT_FUNC PyInit__scan(void) {
    for (int c = 0; c < 256; c++) {
        int folded = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        folds_to[c] = folded ? '1' : (unsigned char)c;
    }
    kind_o = PyUnicode_InternFromString("o");
    kind_a = PyUnicode_InternFromString("a");
    kind_s = PyUnicode_InternFromString("s");
    kind_n = PyUnicode_InternFromString("n");
    kind_l = PyUnicode_InternFromString("l");
    if (!kind_o || !kind_a || !kind_s || !kind_n || !kind_l) return NULL;
    return PyModule_Create(&module);
}
