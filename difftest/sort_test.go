package difftest

import (
	"sort"
	"strconv"
)

func sortStrings(s []string) { sort.Strings(s) }

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
