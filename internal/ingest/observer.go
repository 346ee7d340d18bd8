package ingest

// Observer is told what each document's import did, for metrics.
type Observer interface {
	// ObserveImport reports one document: whether it failed, and what it stored or left alone by
	// kind ("questions", "references", "key_points", "passages", "duplicates", "merged",
	// "orphans_attached", "orphans_kept", "skipped"). A document that failed part way reports what
	// it stored before.
	ObserveImport(failed bool, counts map[string]int)
}

func (im *Importer) observe(sum *Summary, err error) {
	if im.Observer == nil {
		return
	}
	counts := map[string]int{}
	if sum != nil {
		counts = map[string]int{
			"questions":        sum.Questions,
			"references":       sum.References,
			"key_points":       sum.KeyPoints,
			"passages":         sum.Passages,
			"duplicates":       sum.Duplicates,
			"merged":           sum.Merged,
			"orphans_attached": sum.OrphansAttached,
			"orphans_kept":     sum.OrphansKept,
			"skipped":          len(sum.Skipped),
		}
	}
	im.Observer.ObserveImport(err != nil, counts)
}
