package identity_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func validUser() identity.NewUserParams {
	return identity.NewUserParams{
		ID: "0190a5c0-0000-7000-8000-000000000001", Name: "Ann Lee", Slug: "ann-lee",
		Email: "Ann@Example.com", Role: identity.RoleAuthor, Now: t0,
	}
}

// fieldsOf returns the names of the invalid fields of a validation error, or fails the test.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var de *shared.Error
	if !errors.As(err, &de) || de.Kind != shared.KindInvalid {
		t.Fatalf("want a validation error, got %v", err)
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestNewUserValidatesEveryField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		adjust func(*identity.NewUserParams)
		fields []string // nil: valid
	}{
		{"valid", func(*identity.NewUserParams) {}, nil},
		{"empty name", func(p *identity.NewUserParams) { p.Name = "   " }, []string{"name"}},
		{"name of 100 runes", func(p *identity.NewUserParams) { p.Name = strings.Repeat("é", 100) }, nil},
		{"name of 101 runes", func(p *identity.NewUserParams) { p.Name = strings.Repeat("a", 101) }, []string{"name"}},
		{"email without at", func(p *identity.NewUserParams) { p.Email = "ann.example.com" }, []string{"email"}},
		{"email with display name", func(p *identity.NewUserParams) { p.Email = "Ann <ann@example.com>" }, []string{"email"}},
		{"empty email", func(p *identity.NewUserParams) { p.Email = "" }, []string{"email"}},
		{"local host email", func(p *identity.NewUserParams) { p.Email = "admin@localhost" }, nil},
		{"unknown role", func(p *identity.NewUserParams) { p.Role = "owner" }, []string{"role"}},
		{"bio of 1000 runes", func(p *identity.NewUserParams) { p.Bio = strings.Repeat("ß", 1000) }, nil},
		{"bio of 1001 runes", func(p *identity.NewUserParams) { p.Bio = strings.Repeat("b", 1001) }, []string{"bio"}},
		{"https avatar", func(p *identity.NewUserParams) { p.AvatarURL = "https://cdn.example.com/a.png" }, nil},
		{"ftp avatar", func(p *identity.NewUserParams) { p.AvatarURL = "ftp://example.com/a.png" }, []string{"avatar_url"}},
		{"relative avatar", func(p *identity.NewUserParams) { p.AvatarURL = "/a.png" }, []string{"avatar_url"}},
		{"avatar with credentials", func(p *identity.NewUserParams) { p.AvatarURL = "https://u:p@example.com/a.png" }, []string{"avatar_url"}},
		{"bad slug", func(p *identity.NewUserParams) { p.Slug = "Ann Lee" }, []string{"slug"}},
		{"everything wrong at once", func(p *identity.NewUserParams) { p.Name, p.Email, p.Role = "", "x", "boss" }, []string{"name", "email", "role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validUser()
			tt.adjust(&p)
			u, err := identity.NewUser(p)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if u.Version() != 1 || u.Disabled() || u.Changed() {
					t.Fatalf("new user: version %d disabled %v changed %v", u.Version(), u.Disabled(), u.Changed())
				}
				return
			}
			if got := fieldsOf(t, err); strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("invalid fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestNewUserNormalizesEmailAndTrimsText(t *testing.T) {
	t.Parallel()
	p := validUser()
	p.Email, p.Name, p.Bio = "  Ann.Lee@Example.COM ", "  Ann Lee ", " Writes. "
	u, err := identity.NewUser(p)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email() != "ann.lee@example.com" || u.Name() != "Ann Lee" || u.Bio() != "Writes." {
		t.Fatalf("got email %q name %q bio %q", u.Email(), u.Name(), u.Bio())
	}
}

func TestUserChangesBumpTheVersionOncePerLoad(t *testing.T) {
	t.Parallel()
	u, err := identity.NewUser(validUser())
	if err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Hour)
	if err := u.Rename("Ann Lee", later); err != nil || u.Changed() {
		t.Fatalf("renaming to the same name is a change: %v %v", err, u.Changed())
	}
	if err := u.ChangeRole(identity.RoleEditor, later); err != nil {
		t.Fatal(err)
	}
	if err := u.ChangeBio("New bio", later); err != nil {
		t.Fatal(err)
	}
	u.Disable(later)
	if u.Version() != 2 || !u.Changed() || !u.UpdatedAt().Equal(later) {
		t.Fatalf("after three changes: version %d changed %v updated %v", u.Version(), u.Changed(), u.UpdatedAt())
	}
	if u.Role() != identity.RoleEditor || u.Bio() != "New bio" || !u.Disabled() {
		t.Fatalf("changes lost: %v %q %v", u.Role(), u.Bio(), u.Disabled())
	}
	u.Enable(later)
	if u.Disabled() {
		t.Fatal("still disabled after Enable")
	}
}

func TestUserMethodsRejectBrokenRulesAndKeepState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		apply func(u *identity.User) error
		field string
	}{
		{"empty name", func(u *identity.User) error { return u.Rename(" ", t0) }, "name"},
		{"unknown role", func(u *identity.User) error { return u.ChangeRole("root", t0) }, "role"},
		{"long bio", func(u *identity.User) error { return u.ChangeBio(strings.Repeat("x", 1001), t0) }, "bio"},
		{"javascript avatar", func(u *identity.User) error { return u.ChangeAvatarURL("javascript:alert(1)", t0) }, "avatar_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := identity.NewUser(validUser())
			if err != nil {
				t.Fatal(err)
			}
			if got := fieldsOf(t, tt.apply(u)); len(got) != 1 || got[0] != tt.field {
				t.Fatalf("invalid fields %v, want %s", got, tt.field)
			}
			if u.Changed() || u.Version() != 1 {
				t.Fatal("a rejected change changed the user")
			}
		})
	}
}

func TestRestoreUserKeepsStoredState(t *testing.T) {
	t.Parallel()
	u := identity.RestoreUser(identity.UserState{
		ID: "id", Name: "N", Slug: "n", Email: "n@example.com", Role: identity.RoleViewer,
		Disabled: true, Version: 7, CreatedAt: t0, UpdatedAt: t0,
	})
	if u.Version() != 7 || !u.Disabled() || u.Changed() || u.Role() != identity.RoleViewer {
		t.Fatalf("restored user differs: %+v", u)
	}
}

func TestSlugFromName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Ann Lee":                     "ann-lee",
		"  Zoë   Müller-Łukasiewicz ": "zoe-muller-lukasiewicz",
		"O'Brien, Jr.":                "obrien-jr",
		"李小龙":                         "li-xiao-long",
		"???":                         "",
		"R2-D2":                       "r2-d2",
		// cut to 100 characters at a word boundary, never mid-word
		strings.Repeat("ab ", 60): strings.TrimSuffix(strings.Repeat("ab-", 33), "-"),
	}
	for name, want := range tests {
		if got := identity.SlugFromName(name); got != want {
			t.Errorf("SlugFromName(%q) = %q, want %q", name, got, want)
		}
	}
}
