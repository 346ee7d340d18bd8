package postgres

import "testing"

func TestEfSearchGrowsWithTheBank(t *testing.T) {
	for _, c := range []struct{ n, ef, maxScan int }{
		{0, 100, 20000},
		{6000, 100, 20000},
		{10000, 126, 20000},
		{100000, 400, 20000},
		{300000, 692, 30000},
		{625000, 1000, 62500},
		{1000000, 1000, 100000},
	} {
		if ef, m := efSearch(c.n), maxScanTuples(c.n); ef != c.ef || m != c.maxScan {
			t.Errorf("%d vectors: ef_search %d, max_scan_tuples %d; want %d and %d", c.n, ef, m, c.ef, c.maxScan)
		}
	}
}
