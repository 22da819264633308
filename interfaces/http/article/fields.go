package articlehttp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Fields is a sparse fieldset of list items: the JSON names to answer; nil answers every field.
type Fields []string

// The fields of a list item; an admin list also has the workflow and version fields.
var (
	publicSummaryFields = []string{"id", "slug", "title", "excerpt", "cover_image_url", "tags", "author",
		"published_at", "updated_at", "reading_time_minutes", "featured"}
	adminSummaryFields = append(append([]string{}, publicSummaryFields...),
		"status", "scheduled_at", "trashed_at", "created_at", "version")
)

// ParseFields reads the fields parameter: a comma list of summary fields. An unknown or empty
// entry is a 400 naming fields. id is always answered, so a client can tell items apart whatever
// it asked for.
func ParseFields(raw string, admin bool) (Fields, error) {
	known := publicSummaryFields
	if admin {
		known = adminSummaryFields
	}
	out := Fields{"id"}
	for _, name := range strings.Split(raw, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(known, name) {
			return nil, invalid("fields", fmt.Sprintf("must be a comma list of %s", strings.Join(known, ", ")))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// project keeps only the selected fields of v's JSON object.
func project(v any, f Fields) (any, error) {
	if f == nil {
		return v, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("project fields: %w", err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, fmt.Errorf("project fields: %w", err)
	}
	out := make(map[string]json.RawMessage, len(f))
	for _, name := range f {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out, nil
}
