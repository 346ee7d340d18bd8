package text

import "testing"

func TestStem(t *testing.T) {
	t.Parallel()
	// Pairs from the published Snowball English vocabulary and its output, chosen to exercise every
	// step, the region exceptions and the exception lists.
	tests := []struct{ word, want string }{
		// Too short to stem, and apostrophes.
		{"a", "a"}, {"ab", "ab"}, {"'s", "'s"}, {"'as", "as"}, {"'a'", "a"}, {"'aa'", "aa"}, {"a''", "a'"},
		{"aa'", "aa"},
		// Step 1a.
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "tie"}, {"cries", "cri"}, {"gas", "gas"},
		{"gaps", "gap"}, {"kiwis", "kiwi"}, {"abyss", "abyss"}, {"abysses", "abyss"}, {"acres", "acr"},
		// Step 1b.
		{"abandoned", "abandon"}, {"abandoning", "abandon"}, {"added", "ad"}, {"adding", "ad"},
		{"adds", "add"}, {"abhorred", "abhor"}, {"abhorring", "abhor"}, {"abutting", "abut"},
		{"hopping", "hop"}, {"skating", "skate"}, {"breed", "breed"}, {"abed", "abe"}, {"aged", "age"},
		{"agreed", "agre"}, {"knitted", "knit"}, {"kneeling", "kneel"},
		{"kneaded", "knead"}, {"consigned", "consign"}, {"consoling", "consol"},
		// Step 1c.
		{"cry", "cri"}, {"by", "by"}, {"say", "say"}, {"happy", "happi"}, {"accompany", "accompani"},
		{"academy", "academi"}, {"aery", "aeri"},
		// Steps 2 to 5.
		{"abbreviation", "abbrevi"}, {"abdominal", "abdomin"}, {"abilities", "abil"}, {"able", "abl"},
		{"abjectly", "abject"}, {"abjectness", "abject"}, {"abnormality", "abnorm"},
		{"abominably", "abomin"}, {"aboriginally", "aborigin"}, {"abortive", "abort"},
		{"absorbent", "absorb"}, {"absorption", "absorpt"}, {"abstractedly", "abstract"},
		{"absurdities", "absurd"}, {"acceptance", "accept"}, {"accession", "access"},
		{"accidental", "accident"}, {"accidentally", "accident"}, {"accountabilities", "account"},
		{"accuracy", "accuraci"}, {"acquirement", "acquir"}, {"acrimonious", "acrimoni"},
		{"actuality", "actual"}, {"adaptability", "adapt"}, {"additionally", "addit"},
		{"adhesive", "adhes"}, {"administrative", "administr"}, {"admiralty", "admiralti"},
		{"advantageously", "advantag"}, {"adventurously", "adventur"}, {"aesthetically", "aesthet"},
		{"affability", "affabl"}, {"affectionately", "affection"}, {"agonisingly", "agonis"},
		{"agonizing", "agon"}, {"aggrandizement", "aggrandiz"}, {"agreement", "agreement"},
		{"absolute", "absolut"}, {"ape", "ape"}, {"fluently", "fluentli"}, {"abdicating", "abdic"},
		{"consolation", "consol"}, {"consolatory", "consolatori"}, {"consistency", "consist"},
		{"consistently", "consist"}, {"conspicuously", "conspicu"}, {"conspiracy", "conspiraci"},
		{"conspirator", "conspir"}, {"constable", "constabl"}, {"constancy", "constanc"},
		{"knightly", "knight"}, {"knives", "knive"}, {"knackeries", "knackeri"}, {"knavish", "knavish"},
		{"rational", "ration"}, {"generalities", "general"}, {"communism", "communism"},
		{"arsenal", "arsenal"},
		// Exceptions.
		{"skis", "ski"}, {"skies", "sky"}, {"dying", "die"}, {"lying", "lie"}, {"tying", "tie"},
		{"idly", "idl"}, {"gently", "gentl"}, {"ugly", "ugli"}, {"early", "earli"}, {"only", "onli"},
		{"singly", "singl"}, {"news", "news"}, {"atlas", "atlas"}, {"bias", "bias"},
		{"inning", "inning"}, {"outing", "outing"}, {"herrings", "herring"}, {"proceed", "proceed"},
		{"exceeding", "exceed"}, {"succeeded", "succeed"},
		// Not English words: left alone.
		{"select_related", "select_related"}, {"n+1", "n+1"}, {"3.12", "3.12"}, {"café", "café"},
	}
	for _, tt := range tests {
		if got := Stem(tt.word); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestStemDoesNotAllocateForPrefixStems(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_ = Stem("abandoning")
		_ = Stem("databases")
		_ = Stem("queryset")
	})
	if allocs != 0 {
		t.Errorf("Stem allocated %.0f times, want 0", allocs)
	}
}

func BenchmarkStem(b *testing.B) {
	words := []string{"running", "queries", "optimization", "authentication", "related", "caching", "middleware", "asynchronous"}
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			_ = Stem(w)
		}
	}
}
