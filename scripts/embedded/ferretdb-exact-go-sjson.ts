// The Go source of internal/handler/sjson/exact_fields.go, which the patch set adds (ferretdb-exact-fields.ts): the
// decoding of only some top-level fields of a stored sjson row. A small scanner splits the row's top level and its
// schema without decoding them; each kept field is decoded by sjson's own decoder, its schema decoded once per query
// (FieldsCache). See ferretdb-exact-go-fields.ts for the handler's and the SQLite iterator's side.

export const EXACT_FIELDS_SJSON_GO = String.raw`// Tongbiao patch (scripts/embedded/ferretdb-exact-go-sjson.ts): decoding only some top-level fields.

package sjson

import (
	"bytes"
	"encoding/json"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// FieldsCache holds the schemas UnmarshalFields decoded, by their stored text: the rows one query reads mostly
// repeat them (a field's schema, a document's key list), so each is decoded once. Use one per query; not safe for
// concurrent use. Decoded schemas are only read, never changed, by the decoding.
type FieldsCache struct {
	elems map[string]*elem
	keys  map[string][]string
}

// fieldsCacheMax bounds each map: past it, schemas are decoded without being kept.
const fieldsCacheMax = 1024

// NewFieldsCache returns an empty cache.
func NewFieldsCache() *FieldsCache {
	return &FieldsCache{elems: make(map[string]*elem), keys: make(map[string][]string)}
}

func (c *FieldsCache) keyList(raw json.RawMessage) ([]string, error) {
	if keys, ok := c.keys[string(raw)]; ok {
		return keys, nil
	}

	var keys []string
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, lazyerrors.Error(err)
	}

	if len(c.keys) < fieldsCacheMax {
		c.keys[string(raw)] = keys
	}

	return keys, nil
}

func (c *FieldsCache) elem(raw json.RawMessage) (*elem, error) {
	if e, ok := c.elems[string(raw)]; ok {
		return e, nil
	}

	e := new(elem)

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()

	if err := dec.Decode(e); err != nil {
		return nil, lazyerrors.Error(err)
	}

	if len(c.elems) < fieldsCacheMax {
		c.elems[string(raw)] = e
	}

	return e, nil
}

// UnmarshalFields decodes the sjson document data like Unmarshal, keeping only the top-level fields in keep, in
// stored order. The other fields and their schemas are skipped by a scanner without being decoded.
func UnmarshalFields(data []byte, keep map[string]struct{}, cache *FieldsCache) (*types.Document, error) {
	top, err := splitObject(data)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	rawSchema, ok := top["$s"]
	if !ok {
		return nil, lazyerrors.Errorf("schema is not set")
	}

	sch, err := splitObject(rawSchema)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	keys, err := cache.keyList(sch["$k"])
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	props, err := splitObject(sch["p"])
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	d := must.NotFail(types.NewDocument())

	for _, key := range keys {
		if _, ok := keep[key]; !ok {
			continue
		}

		b, ok := top[key]
		if !ok {
			return nil, lazyerrors.Errorf("sjson.UnmarshalFields: missing key %q", key)
		}

		var e *elem

		if rawElem, ok := props[key]; ok {
			if e, err = cache.elem(rawElem); err != nil {
				return nil, lazyerrors.Error(err)
			}
		}

		v, err := unmarshalSingleValue(b, e)
		if err != nil {
			return nil, lazyerrors.Error(err)
		}

		d.Set(key, v)
	}

	return d, nil
}

// splitObject returns the raw values of a JSON object's members by key, without decoding them.
func splitObject(data []byte) (map[string]json.RawMessage, error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, lazyerrors.Errorf("sjson.splitObject: not an object")
	}

	res := make(map[string]json.RawMessage, 16)

	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return res, nil
	}

	for {
		if i >= len(data) || data[i] != '"' {
			return nil, lazyerrors.Errorf("sjson.splitObject: expected a key at %d", i)
		}

		end, err := skipString(data, i)
		if err != nil {
			return nil, err
		}

		rawKey := data[i:end]

		// A key encoding/json refuses (FerretDB 1.24 stores a raw control character in a key as it came) is left
		// out: reading that field fails (missing key), as Unmarshal fails on the whole row; the others are read.
		var key string
		decoded := true

		if plainKey(rawKey) {
			key = string(rawKey[1 : len(rawKey)-1])
		} else if json.Unmarshal(rawKey, &key) != nil {
			decoded = false
		}

		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return nil, lazyerrors.Errorf("sjson.splitObject: expected ':' at %d", i)
		}

		i = skipSpace(data, i+1)

		end, err = skipValue(data, i)
		if err != nil {
			return nil, err
		}

		if decoded {
			res[key] = json.RawMessage(data[i:end])
		}

		i = skipSpace(data, end)
		if i >= len(data) {
			return nil, lazyerrors.Errorf("sjson.splitObject: unexpected end")
		}

		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return res, nil
		default:
			return nil, lazyerrors.Errorf("sjson.splitObject: unexpected %q at %d", data[i], i)
		}
	}
}

// plainKey reports whether a quoted key is its own bytes: no escape and no control character (which
// encoding/json refuses, as Unmarshal does).
func plainKey(raw []byte) bool {
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c < 0x20 {
			return false
		}
	}

	return true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}

	return i
}

// skipString returns the index after the string starting at data[i] (a quote).
func skipString(data []byte, i int) (int, error) {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}

	return 0, lazyerrors.Errorf("sjson.skipString: unterminated string")
}

func endsScalar(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// skipValue returns the index after the JSON value starting at data[i].
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, lazyerrors.Errorf("sjson.skipValue: unexpected end")
	}

	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
	default:
		j := i
		for j < len(data) && !endsScalar(data[j]) {
			j++
		}

		if j == i {
			return 0, lazyerrors.Errorf("sjson.skipValue: no value at %d", i)
		}

		return j, nil
	}

	depth := 0

	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			end, err := skipString(data, j)
			if err != nil {
				return 0, err
			}

			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}

	return 0, lazyerrors.Errorf("sjson.skipValue: unterminated value")
}
`;
