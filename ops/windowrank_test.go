package ops_test

import "testing"

// TestWindowRankDataDriven runs testdata/windowrank_* (directives: see TestRankDataDriven).
func TestWindowRankDataDriven(t *testing.T) { rkRunFiles(t, "windowrank_*") }
