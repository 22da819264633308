package tag_test

import (
	"reflect"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/tag"
)

func TestStateIsTheReverseOfRehydrate(t *testing.T) {
	t.Parallel()
	want := tag.State{ID: "t1", Slug: "go", Name: "Go", Description: "about Go", Version: 3, CreatedAt: created, UpdatedAt: later}
	for i := range reflect.TypeOf(want).NumField() {
		if reflect.ValueOf(want).Field(i).IsZero() {
			t.Fatalf("the fixture leaves %s zero", reflect.TypeOf(want).Field(i).Name)
		}
	}
	if got := tag.Rehydrate(want).State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Rehydrate(s).State():\n got %+v\nwant %+v", got, want)
	}
	tg, err := tag.New("t2", "Rust", "", "", created)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.Update(tag.Changes{Description: ptr("systems")}, later); err != nil {
		t.Fatal(err)
	}
	if got := tag.Rehydrate(tg.State()).State(); !reflect.DeepEqual(got, tg.State()) {
		t.Fatalf("Rehydrate(t.State()).State():\n got %+v\nwant %+v", got, tg.State())
	}
}
