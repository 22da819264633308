package persistence

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// tagModel is a row of tags. NameKey holds tag.NormalizeName(Name), under which names are unique.
type tagModel struct {
	ID          string    `gorm:"column:id;primaryKey"`
	Slug        string    `gorm:"column:slug"`
	Name        string    `gorm:"column:name"`
	NameKey     string    `gorm:"column:name_key"`
	Description string    `gorm:"column:description"`
	Version     int64     `gorm:"column:version"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (tagModel) TableName() string { return "tags" }

func tagToModel(s tag.State) tagModel {
	return tagModel{
		ID: s.ID, Slug: s.Slug, Name: s.Name, NameKey: tag.NormalizeName(s.Name), Description: s.Description,
		Version: int64(s.Version), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}
}

func (m tagModel) toDomain() *tag.Tag {
	return tag.Rehydrate(tag.State{
		ID: m.ID, Slug: m.Slug, Name: m.Name, Description: m.Description, Version: shared.Version(m.Version),
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	})
}
