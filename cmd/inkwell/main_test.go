package main

import (
	"os"
	"testing"
)

// TestMain removes what outlives a single test: the seeded benchmark databases.
func TestMain(m *testing.M) {
	code := m.Run()
	removeBenchFixtures()
	os.Exit(code)
}
